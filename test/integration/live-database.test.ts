import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { auditDatabase } from '../../src/audit/audit-database.js';
import { connectionUrl, type ConnectionInfo, withClient } from '../../src/db/server.js';
import { diffDatabase } from '../../src/diff/diff-database.js';
import { initManifest } from '../../src/init/init-manifest.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { isTenantScoped, type Model } from '../../src/manifest/model.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { runCli } from '../helpers/cli.js';
import { crmDatabase, testServers } from '../helpers/servers.js';

const shippedText = readFileSync('policies.yaml', 'utf8');
// The example manifest accepting one exposure the test makes: lint reports it as accepted, not as an error.
const acceptedText = `${shippedText}
acknowledgements:
  - view: deal_titles
    finding: require-security-invoker-view
    reason: the titles screen of the head office, which reads every company's deal titles
`;
const loaded = loadManifest(shippedText, 'policies.yaml');
if (!loaded.ok) throw new Error('policies.yaml');
const model: Model = loaded.model;
const scopedNames = model.tables.filter(isTenantScoped).map((t) => `table public.${t.name.name}`).sort();

/** The official SARIF 2.1.0 schema (test/fixtures/sarif/README.md says where it comes from). */
const sarifSchema = (): ((data: unknown) => boolean) & { errors?: unknown } => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync('test/fixtures/sarif/sarif-2.1.0.json', 'utf8')) as object);
};

/** What GitHub code scanning requires beyond the schema: a rule description, a located result, a relative URI, a line. */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'defaultConfiguration'],
                      properties: {
                        id: { type: 'string', minLength: 1 },
                        shortDescription: { type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 1024 } } },
                        defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } } },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'locations'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', minLength: 1, pattern: '^[^/]' } } },
                          region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 } } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

describe.each(testServers())('the live database on $label', (server) => {
  let db: { connection: ConnectionInfo; drop: () => Promise<void> };
  beforeAll(async () => {
    db = await crmDatabase(server);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('init proposes a manifest that validates, generates, applies and verifies without edits', async () => {
    const text = await withClient(db.connection, (c) =>
      initManifest(c, { tenantTable: 'companies', tenantColumn: 'company_id', appRole: `init_app_${server.versionNum}`, crossRole: `init_support_${server.versionNum}` }),
    );
    const result = loadManifest(text, 'policies.yaml');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!result.ok) return;
    expect(result.model.tables).toHaveLength(32);
    expect(result.model.tables.filter((t) => t.mode === 'exempt').map((t) => t.key)).toEqual(['roles']);
    // The tenant table is scoped to each tenant's own row: nothing to accept.
    expect(result.model.tables.find((t) => t.key === 'companies')).toMatchObject({ mode: 'tenant', tenantTable: true, commands: ['select'] });
    expect(result.model.acknowledgements).toEqual([]);
    expect(text).toMatch(/^ {2}calls: {2}# no company_id; reaches one through foreign keys; filled from contact_id -> contacts/m);
    expect(text).toMatch(/^ {4}unresolved: keep {2}# 1 row without company_id that no path resolves/m);
    const dir = mkdtempSync(join(tmpdir(), 'rlsgen-init-'));
    writeFileSync(join(dir, 'policies.yaml'), text);
    const generated = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
    expect(generated.kind).toBe('written');
    const fresh = await crmDatabase(server);
    try {
      await applyMigrations({ connection: fresh.connection, dir: join(dir, 'generated-sql') });
      const proof = await withClient(fresh.connection, (client) => verifyIsolation({ model: result.model, client }));
      expect(proof.tables.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((c) => `${t.table} ${c.check}: ${c.detail}`))).toEqual([]);
      expect(proof.objects.flatMap((o) => o.checks.filter((c) => c.status === 'fail').map((c) => `${o.object} ${c.check}: ${c.detail}`))).toEqual([]);
      expect(proof.ok).toBe(true);
    } finally {
      await fresh.drop();
    }
  });

  it('lint reports every tenant table before the migration and nothing after it; audit and diff follow', async () => {
    const before = lintDatabase(await withClient(db.connection, introspectDatabase), { model });
    expect(before.filter((f) => f.rule === 'require-rls-enabled').map((f) => f.object).sort()).toEqual(scopedNames);

    const audit = await withClient(db.connection, (client) => auditDatabase(client, { model }));
    const row = (table: string) => audit.tables.find((t) => t.table === `public.${table}`);
    expect(row('contacts')).toEqual({ table: 'public.contacts', rows: 39, hasColumn: true, withoutTenant: 2, unresolvable: 0 });
    expect(row('sms_messages')).toMatchObject({ withoutTenant: 1, unresolvable: 0 });
    expect(row('calls')).toEqual({ table: 'public.calls', rows: 3, hasColumn: false, withoutTenant: 3, unresolvable: 1 });
    expect(row('users')).toMatchObject({ withoutTenant: 2 });
    expect(audit.crossReferences).toEqual([]);
    expect(diffDatabase(model, await withClient(db.connection, introspectDatabase)).length).toBeGreaterThan(27);

    await applyMigrations({ connection: db.connection, dir: 'generated-sql' });
    const after = await withClient(db.connection, introspectDatabase);
    // Nothing left to accept: users, sessions and audit_logs are scoped, the company table too, TEMPORARY revoked.
    expect(lintDatabase(after, { model })).toEqual([]);
    expect(diffDatabase(model, after)).toEqual([]);

    const url = connectionUrl(db.connection);
    const manifestDir = mkdtempSync(join(tmpdir(), 'rlsgen-accepted-'));
    const acceptedManifest = join(manifestDir, 'policies.yaml');
    writeFileSync(acceptedManifest, acceptedText);
    const shipped = runCli(['lint', '--database-url', url]);
    expect(shipped).toMatchObject({ code: 0, stdout: 'no findings\n' });
    expect(runCli(['diff', '--database-url', url])).toMatchObject({ code: 0, stdout: 'no drift: the database matches policies.yaml\n' });
    const audited = runCli(['audit', '--database-url', url]);
    expect(audited.code).toBe(0);
    expect(audited.stdout).toMatch(/^public\.calls +3 +1 +1$/m);

    await withClient(db.connection, async (c) => {
      await c.query('DROP POLICY rlsgen_tenant_select ON deals');
      await c.query('ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY');
      await c.query('CREATE VIEW deal_titles AS SELECT title, company_id FROM deals');
      await c.query('GRANT SELECT ON deal_titles TO crm_app');
    });
    const drifted = runCli(['diff', '--database-url', url]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('missing-policy public.deals: policy rlsgen_tenant_select (SELECT to crm_app) is missing');
    expect(drifted.stdout).toContain('rls-not-forced public.contacts: row-level security is not forced');
    const unaccepted = runCli(['lint', '--database-url', url]);
    expect(unaccepted.code).toBe(1);
    expect(unaccepted.stdout).toContain('error[require-security-invoker-view] view public.deal_titles: ');
    const text = runCli(['lint', '--database-url', url, '--manifest', acceptedManifest]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('accepted[require-security-invoker-view] view public.deal_titles: ');
    expect(text.stdout).toContain("  acknowledged: the titles screen of the head office, which reads every company's deal titles");
    const linted = runCli(['lint', '--database-url', url, '--format', 'json', '--manifest', acceptedManifest]);
    expect(linted.code).toBe(1);
    const findings = JSON.parse(linted.stdout) as { rule: string; object: string; acknowledged?: string }[];
    expect(findings.filter((f) => f.acknowledged === undefined).map((f) => `${f.rule} ${f.object}`).sort()).toEqual(['require-rls-forced table public.contacts']);
    expect(findings.filter((f) => f.acknowledged !== undefined).map((f) => `${f.rule} ${f.object}`)).toEqual(['require-security-invoker-view view public.deal_titles']);
    const sarif = runCli(['lint', '--database-url', url, '--format', 'sarif', '--manifest', acceptedManifest]);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const official = sarifSchema();
    expect(official(log), JSON.stringify(official.errors)).toBe(true);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SARIF_SUBSET);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // Microsoft's SARIF Multitool with GitHub's ingestion rules, where one is installed (npm @microsoft/sarif-multitool-linux, 100 MB: not a dependency).
    const multitool = process.env['RLSGEN_SARIF_MULTITOOL'];
    if (multitool !== undefined && multitool !== '') {
      const dir = mkdtempSync(join(tmpdir(), 'rlsgen-sarif-'));
      writeFileSync(join(dir, 'lint.sarif'), sarif.stdout);
      const run = spawnSync(multitool, ['validate', join(dir, 'lint.sarif'), '--rule-kind', 'Gh;Sarif', '-o', join(dir, 'report.sarif')], { encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')) as { runs: { results?: { ruleId: string }[] }[] };
      expect(report.runs.flatMap((r) => r.results ?? []).map((r) => r.ruleId)).toEqual([]);
    }
    const forced = log.runs[0]?.results.find((r) => r.ruleId === 'require-rls-forced');
    const contactsLine = acceptedText.split('\n').findIndex((l) => l.startsWith('  contacts:')) + 1;
    expect(forced?.locations[0]?.physicalLocation.region.startLine).toBe(contactsLine);
    const suppressed = (log.runs[0]?.results ?? []) as { ruleId: string; suppressions?: { kind: string; justification: string }[] }[];
    expect(suppressed.find((r) => r.ruleId === 'require-security-invoker-view')?.suppressions?.[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    rmSync(manifestDir, { recursive: true, force: true });
  });
});
