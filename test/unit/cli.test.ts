import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

function project(): string {
  const dir = tempDir('cli');
  cpSync('policies.yaml', join(dir, 'policies.yaml'));
  cpSync('schema', join(dir, 'schema'), { recursive: true });
  return dir;
}

describe('rlsgen validate', () => {
  it('exits 0 on the example manifest', () => {
    const r = runCli(['validate']);
    expect(r).toEqual({
      code: 0,
      stdout: 'policies.yaml: valid; 32 tables (29 tenant, 1 shared, 1 exempt, the tenant table scoped to its own row), 2 lookup(s), tenant column company_id\n',
      stderr: '',
    });
  });

  it('prints every problem like a compiler and exits 1', () => {
    const dir = project();
    writeFileSync(
      join(dir, 'bad.yaml'),
      'version: 1\ntenant: { column: company_id, type: uuid, references: companies(id) }\nroles: { app: { name: app } }\ntables:\n  calls:\n    mode: tennant\n    legacy_ownr: x\n',
    );
    const r = runCli(['validate', '--manifest', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'bad.yaml:6:11 error[manifest/invalid-value] tables.calls.mode: "tennant" is not one of tenant, shared, exempt',
        '  help: did you mean "tenant"?',
        'bad.yaml:7:5 error[manifest/unknown-key] tables.calls.legacy_ownr: unknown key "legacy_ownr"',
        '  help: did you mean "legacy_owner"?',
        'bad.yaml: 2 error(s)',
        '',
      ].join('\n'),
    );
  });

  it('colors only when asked, never with NO_COLOR', () => {
    const dir = project();
    writeFileSync(join(dir, 'bad.yaml'), 'version: 2\n');
    expect(runCli(['validate', '-m', 'bad.yaml'], { cwd: dir }).stderr).not.toContain('\u001b[');
    expect(runCli(['validate', '-m', 'bad.yaml'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stderr).toContain('\u001b[');
  });
});

describe('rlsgen generate', () => {
  it('writes, then reports up to date; --check fails while changes are pending', () => {
    const dir = project();
    expect(runCli(['generate', '--check'], { cwd: dir }).code).toBe(1);
    const written = runCli(['generate'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('wrote 303 migration(s) to generated-sql (rollbacks in generated-sql/down):');
    expect(written.stdout).toContain('1. rlsgen apply --stage prepare');
    // The manifest's idle timeout, where it takes effect (a setting on crm_app does not reach its logins).
    expect(written.stdout).toContain("Idle transactions: the application's transactions must run with idle_in_transaction_session_timeout = '30s'.");
    expect(written.stdout).toContain("ALTER ROLE <login> IN DATABASE <database> SET idle_in_transaction_session_timeout = '30s';");
    expect(runCli(['generate', '--check'], { cwd: dir })).toEqual({
      code: 0,
      stdout: 'generated-sql is up to date with policies.yaml\n',
      stderr: '',
    });
  });

  it('exits 2 on usage errors and missing files', () => {
    expect(runCli(['generate', '--bogus']).code).toBe(2);
    expect(runCli(['nope']).code).toBe(2);
    const missing = runCli(['generate', '-m', 'missing.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: manifest missing.yaml does not exist\n');
  });

  it('rejects a --batch-pause that is not a duration', () => {
    const bad = runCli(['apply', '--batch-pause', 'a while', '--database-url', 'postgres://localhost/none']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--batch-pause must be a duration such as 50ms, 2s or 0');
  });

  it('rejects a --probe-role without role=login', () => {
    const bad = runCli(['verify', '--probe-role', 'crm_app', '--database-url', 'postgres://localhost/none']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--probe-role takes role=login, e.g. crm_app=crm_probe (got "crm_app")');
  });

  it('has --help for each command, saying what each exit code means', () => {
    const commands = [...runCli(['--help']).stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1] ?? '').filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['validate', 'generate', 'apply', 'rollback', 'verify', 'init', 'lint', 'audit', 'diff', 'secret']));
    for (const command of commands) {
      const r = runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: rlsgen ${command}`);
      expect(r.stdout, command).toMatch(/\nExit codes: 0 .*, 1 .*, 2 /);
    }
  });
});
