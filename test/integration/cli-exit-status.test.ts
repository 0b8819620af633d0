import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { debianBinDir, hasBinaries } from '../../src/db/binaries.js';
import { connectionUrl, parseConnectionUrl, withClient } from '../../src/db/server.js';
import { type CliResult, runCli, runCliAsync } from '../helpers/cli.js';
import { crmDatabase, FIXTURE_DATA, FIXTURE_SCHEMA, freshDatabase, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Every command, run as a child process the way CI runs it, ends with the
 * status its outcome calls for: 0 ok, 1 findings (a failed migration,
 * isolation not proven, drift, hazards), 2 bad input or usage.
 */
const server = testServers()[0];
if (server === undefined) throw new Error('no test server');
const work = tempDir('exit');
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.allSettled(drops.map((d) => d()));
});

/** The project: the example manifest and its migrations, in a folder of its own. */
const project = join(work, 'project');
cpSync('generated-sql', join(project, 'generated-sql'), { recursive: true });
cpSync('policies.yaml', join(project, 'policies.yaml'));
cpSync('schema', join(project, 'schema'), { recursive: true });
const schema = resolve(FIXTURE_SCHEMA);
const data = resolve(FIXTURE_DATA);

/** A schema the migrations cannot apply to: the deals table is missing. */
const brokenSchema = join(work, 'no-deals.sql');
writeFileSync(brokenSchema, `${readText(schema)}\nDROP TABLE deals CASCADE;\n`);

/** The migrations plus one that opens a table to every tenant: isolation cannot be proven. */
const leaky = join(work, 'leaky-sql');
cpSync('generated-sql', leaky, { recursive: true });
const last = Number(/^(\d+)/.exec(readLast('generated-sql'))?.[1]);
writeFileSync(
  join(leaky, `${String(last + 1).padStart(4, '0')}_open_deals.sql`),
  'DROP POLICY rlsgen_tenant_select ON public.deals;\nCREATE POLICY open_deals ON public.deals FOR SELECT TO crm_app USING (true);\n',
);
writeFileSync(join(leaky, 'down', `${String(last + 1).padStart(4, '0')}_open_deals.down.sql`), 'SELECT 1;\n');

/** The schema with a typo on one line: the load fails once the server is up. */
const typoSchema = join(work, 'typo.sql');
const schemaLines = readText(schema).split('\n');
const typoLine = schemaLines.findIndex((l) => /^CREATE TABLE /.test(l)) + 2;
writeFileSync(typoSchema, schemaLines.map((l, i) => (i === typoLine - 1 ? l.replace(' uuid ', ' uuidd ') : l)).join('\n'));

/** The migrations plus one that fails. */
const failing = join(work, 'failing-sql');
cpSync('generated-sql', failing, { recursive: true });
writeFileSync(join(failing, `${String(last + 1).padStart(4, '0')}_fails.sql`), 'SELECT 1 / 0;\n');

/** The migrations plus one whose rollback script fails. */
const badDown = join(work, 'bad-down-sql');
cpSync('generated-sql', badDown, { recursive: true });
writeFileSync(join(badDown, `${String(last + 1).padStart(4, '0')}_noop.sql`), 'SELECT 1;\n');
writeFileSync(join(badDown, 'down', `${String(last + 1).padStart(4, '0')}_noop.down.sql`), 'SELECT 1 / 0;\n');

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
function readLast(dir: string): string {
  return readdirSync(dir).sort().filter((f) => /^\d+_.*\.sql$/.test(f)).pop() ?? '';
}

const run = (args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult => runCli(args, { cwd: project, env: { DATABASE_URL: '', ...env } });
const runAsync = (args: readonly string[]): Promise<CliResult> => runCliAsync(args, { cwd: project, env: { DATABASE_URL: '' } });
const status = (r: CliResult): number | null => r.code;

async function crmUrl(): Promise<string> {
  const db = await crmDatabase(server as NonNullable<typeof server>);
  drops.push(db.drop);
  return connectionUrl(db.connection);
}

describe('exit statuses of every command', () => {
  it('validate: 0 valid, 1 invalid manifest, 2 no such file', () => {
    writeFileSync(join(project, 'invalid.yaml'), 'version: 1\ntables: {}\n');
    expect(status(run(['validate']))).toBe(0);
    expect(status(run(['validate', '-m', 'invalid.yaml']))).toBe(1);
    expect(status(run(['validate', '-m', 'missing.yaml']))).toBe(2);
  });

  it('generate: 0 up to date, 1 changes not generated (--check), 2 no such manifest or an invalid one', () => {
    expect(status(run(['generate', '--check']))).toBe(0);
    const stale = join(work, 'stale');
    cpSync(project, stale, { recursive: true });
    writeFileSync(join(stale, 'policies.yaml'), readText(join(stale, 'policies.yaml')).replace('mode: shared                  #', 'mode: tenant                  #'));
    expect(status(runCli(['generate', '--check'], { cwd: stale }))).toBe(1);
    expect(status(run(['generate', '-m', 'missing.yaml']))).toBe(2);
    expect(status(run(['generate', '--check', '-m', 'invalid.yaml']))).toBe(2);
  });

  it('apply and rollback: 0 applied / rolled back, 1 a migration failed, 2 no database, a malformed URL or refused before running', async () => {
    const url = await crmUrl();
    expect(status(run(['apply', '--database-url', url]))).toBe(0);
    expect(status(run(['apply', '--database-url', url]))).toBe(0);
    expect(status(run(['rollback', '--to', '0', '--database-url', url]))).toBe(0);
    const withBadDown = await crmUrl();
    expect(status(run(['apply', '--database-url', withBadDown, '-d', badDown]))).toBe(0);
    const undone = run(['rollback', '--to', String(last), '--database-url', withBadDown, '-d', badDown]);
    expect(undone.stderr).toContain(`${String(last + 1).padStart(4, '0')}_noop.down.sql failed: division by zero\n  the rollback script was rolled back: nothing of it remains; fix the cause and run rollback again`);
    expect(status(undone)).toBe(1);
    const failed = run(['apply', '--database-url', await crmUrl(), '-d', failing]);
    expect(failed.stderr).toContain('error[22012]: division by zero');
    expect(status(failed)).toBe(1);
    // The tables are missing: refused before the first file, nothing applied.
    const empty = await freshDatabase(server, 'exit');
    drops.push(empty.drop);
    const refused = run(['apply', '--database-url', connectionUrl(empty.connection)]);
    expect(refused.stderr).toContain('table public.twilio_settings does not exist');
    expect(status(refused)).toBe(2);
    expect(status(run(['apply']))).toBe(2);
    expect(status(run(['apply', '--database-url', 'postgres://x:y@[bad/db']))).toBe(2);
    expect(status(run(['rollback', '--to', '0']))).toBe(2);
    expect(status(run(['rollback', '--to', '-1', '--database-url', url]))).toBe(2);
    expect(status(run(['rollback']))).toBe(2);
  });

  it('lint, diff, audit, init: 0 clean, 1 findings, 2 usage', async () => {
    const before = await crmUrl();
    const after = await crmUrl();
    expect(status(run(['apply', '--database-url', after]))).toBe(0);
    expect(status(run(['lint', '--database-url', after]))).toBe(0);
    expect(status(run(['lint', '--database-url', before]))).toBe(1);
    expect(status(run(['lint', '--database-url', after, '--role', 'no_such_role']))).toBe(2);
    expect(status(run(['lint']))).toBe(2);
    expect(status(run(['diff', '--database-url', after]))).toBe(0);
    expect(status(run(['diff', '--database-url', before]))).toBe(1);
    expect(status(run(['diff', '--database-url', after, '-m', 'missing.yaml']))).toBe(2);
    expect(status(run(['audit', '--database-url', before]))).toBe(0);
    // A deal of one company pointing at another company's contact: the composite key cannot validate.
    const crossed = await crmUrl();
    await withClientUrl(crossed, `UPDATE deals SET contact_id = (SELECT id FROM contacts WHERE company_id IS DISTINCT FROM deals.company_id AND company_id IS NOT NULL LIMIT 1) WHERE id = (SELECT id FROM deals WHERE company_id IS NOT NULL LIMIT 1)`);
    const audit = run(['audit', '--database-url', crossed]);
    expect(audit.stdout).toContain('deals.contact_id -> public.contacts: 1 row(s)');
    expect(status(audit)).toBe(1);
    expect(status(run(['audit']))).toBe(2);
    expect(status(run(['init', '--database-url', before, '--out', '-']))).toBe(0);
    expect(status(run(['init', '--database-url', before]))).toBe(2);
    expect(status(run(['init']))).toBe(2);
    expect(status(run(['secret', '--from-env', '--database-url', after]))).toBe(2);
  });

  it('verify in place: 0 proven, 1 a leak, 2 a probe login that does not exist', async () => {
    const proven = await crmUrl();
    expect(status(run(['apply', '--database-url', proven]))).toBe(0);
    expect(status(run(['verify', '--database-url', proven]))).toBe(0);
    expect(status(run(['verify', '--database-url', proven, '--probe-role', 'crm_app=no_such_login']))).toBe(2);
    const open = await crmUrl();
    expect(status(run(['apply', '--database-url', open, '-d', leaky]))).toBe(0);
    const leak = run(['verify', '--database-url', open]);
    expect(leak.stdout).toContain('deals');
    expect(status(leak)).toBe(1);
    expect(status(run(['verify', '--database-url', 'not a url']))).toBe(2);
  });

  const providers: [string, string[], boolean][] = [
    ['embedded', [], true],
    ['--database-url', ['--database-url', connectionUrl(server.connection)], true],
    ['--pg-bin', ['--pg-bin', debianBinDir(15)], hasBinaries(debianBinDir(15))],
  ];
  for (const [label, flags, available] of providers) {
    if (!available) console.warn(`skipped: verify --schema with --pg-bin: no PostgreSQL binaries in ${debianBinDir(15)} (.ci/run installs them)`);
    it.skipIf(!available)(`verify --schema with ${label}: 0 only on PASS, 1 when a migration fails or isolation is not proven, 2 on bad input`, async () => {
      const [pass, migrationFails, statementFails, notProven, noSchema, badManifest, schemaTypo] = await Promise.all([
        runAsync(['verify', ...flags, '--schema', schema, '--data', data]),
        runAsync(['verify', ...flags, '--schema', brokenSchema]),
        runAsync(['verify', ...flags, '--schema', schema, '--data', data, '-d', failing]),
        runAsync(['verify', ...flags, '--schema', schema, '--data', data, '-d', leaky]),
        runAsync(['verify', ...flags, '--schema', join(work, 'missing.sql')]),
        runAsync(['verify', ...flags, '--schema', schema, '-m', 'invalid.yaml']),
        runAsync(['verify', ...flags, '--schema', typoSchema]),
      ]);
      expect(pass.stdout).toContain('PASS');
      expect(status(pass)).toBe(0);
      expect(migrationFails.stderr).toContain('table public.deals does not exist');
      expect(status(migrationFails)).toBe(1);
      // A statement of a migration fails on the server this run started (not a refusal before it).
      expect(statementFails.stderr).toContain('error[22012]: division by zero');
      expect(status(statementFails)).toBe(1);
      expect(notProven.stdout).toMatch(/deals\s+tenant\s+\S+\s+✗/);
      expect(status(notProven)).toBe(1);
      expect(status(noSchema)).toBe(2);
      expect(status(badManifest)).toBe(2);
      // Bad input found only once the server is up and loading the file: still 2, with its line.
      expect(schemaTypo.stderr).toContain(`${typoSchema}:${typoLine}: `);
      expect(status(schemaTypo)).toBe(2);
    });
  }
});

async function withClientUrl(url: string, sql: string): Promise<void> {
  await withClient(parseConnectionUrl(url), (c) => c.query(sql));
}
