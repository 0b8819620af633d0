import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectPending } from '../../src/apply/apply-migrations.js';
import { readMigrationFolder } from '../../src/apply/migration-folder.js';
import type { CitusInfo, CitusPlacement, DbSnapshot, PolicyInfo, TableInfo } from '../../src/introspect/snapshot.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { RULES } from '../../src/lint/registry.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { planTenancy } from '../../src/plan/plan-tenancy.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const MANIFEST = `version: 1
target: citus
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: app } }
tables:
  companies: { mode: exempt, reason: tenant table, commands: [select] }
  users: { mode: exempt, reason: sign-in, existing_column: uuid }
  contacts: { existing_column: uuid, backfill: owner_id -> users }
  deals:
    backfill: owner_id -> users
    foreign_keys: { contact_id: contacts }
  templates: { mode: shared }
`;

function model(text = MANIFEST): Model {
  const loaded = loadManifest(text, 'm.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.model;
}

const policy = (name: string, overrides: Partial<PolicyInfo> = {}): PolicyInfo => ({
  name,
  command: 'SELECT',
  permissive: true,
  roles: ['app'],
  using: "(company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid)",
  check: null,
  ...overrides,
});

function table(name: string, policies: PolicyInfo[], column = true): TableInfo {
  return {
    oid: name.length,
    schema: 'public',
    name,
    kind: 'table',
    owner: 'postgres',
    rlsEnabled: true,
    rlsForced: true,
    estimatedRows: 0,
    columns: [
      { name: 'id', type: 'uuid', typeCategory: 'U', notNull: true, default: null, identity: false, generated: false, enumLabels: null },
      ...(column ? [{ name: 'company_id', type: 'uuid', typeCategory: 'U', notNull: true, default: null, identity: false, generated: false, enumLabels: null }] : []),
    ],
    primaryKey: ['company_id', 'id'],
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: [{ name: `${name}_pkey`, columns: ['company_id', 'id'], unique: true, primary: true, valid: true, partial: false, definition: '' }],
    policies,
    triggers: [],
    grants: [],
    columnGrants: [],
    parent: null,
    isPartition: false,
    partitionKey: [],
  };
}

function snapshot(tables: TableInfo[], citus: CitusInfo | null, roleSettings: DbSnapshot['roleSettings'] = [], logins: DbSnapshot['roles'] = [login]): DbSnapshot {
  return {
    serverVersionNum: 150000,
    database: 'crm',
    currentUser: 'postgres',
    tables: [table('companies', [], false), ...tables],
    views: [],
    sequences: [],
    functions: [],
    schemas: [],
    databaseInfo: { name: 'crm', owner: 'postgres', grants: [] },
    roles: [{ name: 'app', superuser: false, bypassRls: false, canLogin: false, inherit: true, memberOf: [] }, ...logins],
    defaultPrivileges: [],
    roleSettings,
    citus,
  };
}

const login = { name: 'app_login', superuser: false, bypassRls: false, canLogin: true, inherit: true, memberOf: ['app'] };
const placement = (name: string, shard: string, policies: PolicyInfo[], flags: { rlsEnabled?: boolean; rlsForced?: boolean; error?: string } = {}): CitusPlacement => ({
  table: { schema: 'public', name },
  shard,
  node: 'localhost:9701',
  error: flags.error ?? null,
  rlsEnabled: flags.rlsEnabled ?? true,
  rlsForced: flags.rlsForced ?? true,
  policies,
});
const dist = (name: string, colocationId = 1, column = 'company_id') => ({ table: { schema: 'public', name }, method: 'distributed' as const, column, colocationId });
const healthy: CitusInfo = {
  tables: [dist('companies', 1, 'id'), dist('contacts'), dist('deals')],
  placements: [placement('deals', '102008', [policy('tenant', { using: "(company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid)" })])],
  workers: ['localhost:9701', 'localhost:9702'],
  loginSettings: [{ role: 'app_login', propagateSetCommands: 'local' }],
};
const setting = [{ role: 'app', settings: ['citus.propagate_set_commands=local'] }];
const citusRules = RULES.filter((r) => r.id.includes('citus'));

function findings(snap: DbSnapshot, rule: string, manifest = MANIFEST): string[] {
  const definition = RULES.find((r) => r.id === rule);
  if (definition === undefined) throw new Error(rule);
  return lintDatabase(snap, { model: model(manifest), rules: [definition] }).map((f) => `${f.object}: ${f.message}`);
}

describe('Citus lint rules', () => {
  it('are silent on a healthy cluster and without Citus', () => {
    const good = snapshot([table('contacts', [policy('tenant')]), table('deals', [policy('tenant')])], healthy, setting);
    expect(lintDatabase(good, { model: model(), rules: citusRules })).toEqual([]);
    const plain = snapshot([table('deals', [policy('tenant', { permissive: false, using: '(company_id = ( SELECT 1))' })])], null);
    expect(lintDatabase(plain, { model: model(), rules: citusRules })).toEqual([]);
  });

  it('ban-citus-policy-sublink: a sub-select in a policy of a distributed table', () => {
    const snap = snapshot([table('deals', [policy('tenant', { using: "(company_id = ( SELECT (current_setting('app.company_id'::text))::uuid AS current_setting))" })])], healthy, setting);
    expect(findings(snap, 'ban-citus-policy-sublink')).toEqual(['table public.deals: policy tenant on distributed table public.deals contains a sub-select, which Citus rejects']);
  });

  it('ban-citus-restrictive-policy: a RESTRICTIVE policy on a distributed table', () => {
    const snap = snapshot([table('deals', [policy('tenant'), policy('not_deleted', { permissive: false, using: '(NOT is_deleted)' })])], healthy, setting);
    expect(findings(snap, 'ban-citus-restrictive-policy')).toEqual([
      'table public.deals: RESTRICTIVE policy not_deleted on public.deals: Citus makes it permissive on the shards, where it widens access',
    ]);
  });

  it('require-citus-shard-policies: a shard that enforces other policies, other expressions or other flags than the coordinator', () => {
    const drifted: CitusInfo = {
      ...healthy,
      placements: [
        placement('deals', '102008', [policy('tenant'), policy('extra')]),
        placement('deals', '102009', [policy('tenant', { using: 'true' })]),
        placement('deals', '102010', [policy('tenant')], { rlsEnabled: false }),
        placement('deals', '102011', [], { error: 'connection refused' }),
      ],
    };
    const snap = snapshot([table('deals', [policy('tenant')])], drifted, setting);
    expect(findings(snap, 'require-citus-shard-policies')).toEqual([
      "table public.deals: shard 102008 of public.deals on localhost:9701: policy extra: PERMISSIVE FOR SELECT TO app USING (company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid) WITH CHECK - not on the coordinator",
      "table public.deals: shard 102009 of public.deals on localhost:9701: policy tenant: PERMISSIVE FOR SELECT TO app USING true WITH CHECK - (coordinator: PERMISSIVE FOR SELECT TO app USING (company_id = (NULLIF(current_setting('app.company_id'::text, true), ''::text))::uuid) WITH CHECK -)",
      'table public.deals: shard 102010 of public.deals on localhost:9701: row security disabled (coordinator: enabled)',
      'table public.deals: shard 102011 of public.deals on localhost:9701: could not be read (connection refused)',
    ]);
  });

  it('require-citus-shard-policies: a shard name in an expression reads as the table name', () => {
    const using = '(company_id IN ( SELECT companies.id FROM companies))';
    const shardUsing = '(company_id IN ( SELECT companies_102040.id FROM companies_102040))';
    const snap = snapshot([table('deals', [policy('tenant', { using })])], { ...healthy, placements: [placement('deals', '102008', [policy('tenant', { using: shardUsing })])] }, setting);
    expect(findings(snap, 'require-citus-shard-policies')).toEqual([]);
  });

  it('require-citus-colocation: a tenant table in another co-location group, or distributed by another column', () => {
    const apart: CitusInfo = { ...healthy, tables: [dist('companies', 1, 'id'), dist('contacts', 2), dist('deals', 1, 'id')] };
    const snap = snapshot([table('contacts', [policy('tenant')]), table('deals', [policy('tenant')])], apart, setting);
    expect(findings(snap, 'require-citus-colocation')).toEqual([
      'table public.contacts: public.contacts is distributed by company_id in co-location group 2, not by company_id with public.companies (group 1)',
      'table public.deals: public.deals is distributed by id in co-location group 1, not by company_id with public.companies (group 1)',
    ]);
    // A reference company table: the tenant tables are co-located with the manifest's first distributed one.
    const referenceRoot = MANIFEST.replace('companies: { mode: exempt, reason: tenant table, commands: [select] }', 'companies: { distribution: reference, commands: [select] }');
    const reference = { table: { schema: 'public', name: 'companies' }, method: 'reference' as const, column: null, colocationId: 9 };
    const together: CitusInfo = { ...healthy, tables: [reference, dist('contacts', 3), dist('deals', 3)] };
    expect(findings(snapshot([table('contacts', [policy('tenant')]), table('deals', [policy('tenant')])], together, setting), 'require-citus-colocation', referenceRoot)).toEqual([]);
    const split: CitusInfo = { ...healthy, tables: [reference, dist('contacts', 3), dist('deals', 4)] };
    expect(findings(snapshot([table('contacts', [policy('tenant')]), table('deals', [policy('tenant')])], split, setting), 'require-citus-colocation', referenceRoot)).toEqual([
      'table public.deals: public.deals is distributed by company_id in co-location group 4, not by company_id with public.contacts (group 3)',
    ]);
  });

  it('require-citus-set-propagation: the effective setting of the login roles, not a setting of the role they are members of', () => {
    const roleOnly: CitusInfo = { ...healthy, loginSettings: [{ role: 'app_login', propagateSetCommands: 'none' }] };
    const snap = snapshot([table('deals', [policy('tenant')])], roleOnly, setting);
    expect(findings(snap, 'require-citus-set-propagation')).toEqual([
      "role app_login: app_login (a member of app) starts its sessions with citus.propagate_set_commands = 'none': unless the application sends SET LOCAL citus.propagate_set_commands = 'local' in each transaction, the tenant variable stays on the coordinator and queries of distributed tables return nothing",
    ]);
    expect(findings(snapshot([table('deals', [policy('tenant')])], healthy, []), 'require-citus-set-propagation')).toEqual([]);
    expect(findings(snapshot([table('deals', [policy('tenant')])], healthy, setting, []), 'require-citus-set-propagation')).toEqual([
      'role app: no login role is a member of app: Citus opens worker connections as the current user, and the workers refuse a role that cannot log in',
    ]);
  });
});

describe('Citus target: plan', () => {
  it('distributes after the single-node migration, in the order Citus needs', () => {
    const result = planTenancy(null, model());
    if (!result.ok) throw new Error(result.problems.join());
    const slugs = result.plan.steps.map((s) => s.slug);
    const tail = slugs.slice(slugs.indexOf('citus_prepare'));
    expect(tail).toEqual(['citus_prepare', 'citus_primary_key_contacts', 'citus_primary_key_deals', 'citus_distribute']);
    expect(slugs.indexOf('citus_prepare')).toBeGreaterThan(slugs.indexOf('enable_policies_deals'));
    const distribute = result.plan.steps.find((s) => s.step.kind === 'citus-distribute')?.step;
    expect(distribute).toMatchObject({
      kind: 'citus-distribute',
      root: { schema: 'public', name: 'companies' },
      references: [{ schema: 'public', name: 'users' }, { schema: 'public', name: 'templates' }],
    });
    expect(result.plan.steps.filter((s) => s.stage === 'distribute').map((s) => s.step.kind)).toEqual(['citus-prepare', 'citus-primary-key', 'citus-primary-key', 'citus-distribute']);
  });

  it('the distribution file sets foreign keys aside, creates reference tables, then co-located tables, then restores keys', () => {
    const name = readdirSync('test/golden/citus/expected').find((f) => f.endsWith('_citus_distribute.sql'));
    const text = readFileSync(join('test/golden/citus/expected', name ?? 'missing'), 'utf8');
    const at = (needle: string): number => {
      const i = text.indexOf(needle);
      expect(i, needle).toBeGreaterThan(-1);
      return i;
    };
    // The golden makes the company table, users and sessions reference tables (rows without a company, the lookups).
    const order = [
      at("SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"),
      at('EXECUTE pg_catalog.format(\'ALTER TABLE %s DROP CONSTRAINT %I\''),
      at("SELECT create_reference_table('public.companies')"),
      at("SELECT create_reference_table('public.users')"),
      at("SELECT create_reference_table('public.sessions')"),
      at("SELECT create_distributed_table('public.twilio_settings', 'company_id', colocate_with => 'none')"),
      at("SELECT create_distributed_table('public.deals', 'company_id', colocate_with => 'public.twilio_settings')"),
      at("EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s'"),
      at("SELECT truncate_local_data_after_distributing_table('public.deals');"),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain("create_distributed_table('public.companies'");
    expect(text).not.toContain("create_distributed_table('public.users'");
    expect(text).not.toMatch(/AS RESTRICTIVE/);
  });

  it('distributes the tenant table by its key, and co-locates the tenant tables with it, unless it is a reference table', () => {
    const write = (text: string): string => {
      const dir = tempDir('colocation');
      writeFileSync(join(dir, 'policies.yaml'), text);
      const run = runCli(['generate'], { cwd: dir });
      // (A warning may come: rows kept without a tenant and no cross-tenant role to see them.)
      expect(run.stderr).not.toContain('error');
      expect(run.code).toBe(0);
      const name = readdirSync(join(dir, 'generated-sql')).find((f) => f.endsWith('_citus_distribute.sql'));
      return readFileSync(join(dir, 'generated-sql', name ?? 'missing'), 'utf8');
    };
    const distributed = write(MANIFEST);
    expect(distributed).toContain("SELECT create_distributed_table('public.companies', 'id')");
    expect(distributed).toContain("SELECT create_distributed_table('public.deals', 'company_id', colocate_with => 'public.companies')");
    // users keeps rows without a company as a reference table, and the company table is one too.
    const reference = write(
      MANIFEST.replace('companies: { mode: exempt, reason: tenant table, commands: [select] }', 'companies: { distribution: reference, commands: [select] }').replace(
        'users: { mode: exempt, reason: sign-in, existing_column: uuid }',
        'users: { existing_column: uuid, distribution: reference, unresolved: keep }',
      ),
    );
    expect(reference).toContain("SELECT create_reference_table('public.companies')");
    expect(reference).toContain("SELECT create_reference_table('public.users')");
    expect(reference).toContain("SELECT create_distributed_table('public.contacts', 'company_id', colocate_with => 'none')");
    expect(reference).toContain("SELECT create_distributed_table('public.deals', 'company_id', colocate_with => 'public.contacts')");
    expect(reference).not.toMatch(/create_distributed_table\('public\.(companies|users)'/);
  });

  it('rejects what Citus cannot distribute', () => {
    const signed = loadManifest(MANIFEST.replace('target: citus', 'target: citus\ncontext: signed'), 'm.yaml');
    expect(signed.diagnostics.map((d) => d.code)).toContain('manifest/citus-signed');
    const kept = loadManifest(MANIFEST.replace('contacts: { existing_column: uuid,', 'contacts: { existing_column: uuid, unresolved: keep,'), 'm.yaml');
    expect(kept.diagnostics.map((d) => d.code)).toContain('manifest/citus-nullable');
    // A reference table has no distribution column: it may keep rows without a tenant.
    const keptReference = loadManifest(MANIFEST.replace('contacts: { existing_column: uuid,', 'contacts: { existing_column: uuid, unresolved: keep, distribution: reference,'), 'm.yaml');
    expect(keptReference.diagnostics.map((d) => d.code)).not.toContain('manifest/citus-nullable');
    // A key into a shared (reference) table would need rlsgen's reference trigger on a distributed table.
    const intoShared = loadManifest(MANIFEST.replace('foreign_keys: { contact_id: contacts }', 'foreign_keys: { contact_id: contacts, template_id: templates }'), 'm.yaml');
    expect(intoShared.diagnostics.map((d) => d.code)).toContain('manifest/citus-shared-reference');
    const plainKey = loadManifest(MANIFEST.replace('foreign_keys: { contact_id: contacts }', 'foreign_keys: { contact_id: contacts, template_id: { references: templates, composite: false } }'), 'm.yaml');
    expect(plainKey.diagnostics.map((d) => d.code)).not.toContain('manifest/citus-shared-reference');
  });

  it('--target citus on a manifest without `target:` writes the golden Citus files, and says how to roll out', () => {
    const dir = tempDir('target');
    const manifest = readFileSync('test/golden/citus/policies.yaml', 'utf8').replace(/^target: citus\n/m, '');
    expect(manifest).not.toMatch(/^target:/m);
    writeFileSync(join(dir, 'policies.yaml'), manifest.replace('../../../schema/', '../schema/'));
    const plain = runCli(['validate'], { cwd: dir });
    expect(plain.code).toBe(0);
    const run = runCli(['generate', '--target', 'citus'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ {2}distribute {2}\d{4}\.\.\d{4} {2}Citus: distributes the tables/);
    expect(run.stdout).toContain("SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL app.company_id = '<tenant id>'");
    expect(run.stdout).toContain('rlsgen apply --stage enforce');
    const expected = readdirSync('test/golden/citus/expected').filter((f) => f.endsWith('.sql'));
    for (const file of expected) expect(readFileSync(join(dir, 'generated-sql', file), 'utf8'), file).toBe(readFileSync(join('test/golden/citus/expected', file), 'utf8'));
  });

  it('apply --stage prepare stops before the enforce stage, --stage enforce before the distribute stage', () => {
    const folder = readMigrationFolder('test/golden/citus/expected');
    const stages = (files: readonly { meta: { stage: string } | null }[]): string[] => [...new Set(files.map((f) => f.meta?.stage ?? '?'))];
    expect(stages(folder)).toEqual(['prepare', 'enforce', 'distribute']);
    expect(stages(selectPending(folder, 'prepare'))).toEqual(['prepare']);
    expect(stages(selectPending(folder, 'enforce'))).toEqual(['prepare', 'enforce']);
    expect(selectPending(folder, 'all')).toHaveLength(folder.length);
    // Never out of order: a prepare file after a distribute file waits for it.
    const later = folder.filter((f) => f.meta?.stage === 'distribute').concat(folder.filter((f) => f.meta?.stage === 'prepare').slice(0, 1));
    expect(selectPending(later, 'prepare')).toEqual([]);
  });
});
