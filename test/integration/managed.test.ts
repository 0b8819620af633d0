import { describe, expect, it } from 'vitest';
import { auditDatabase } from '../../src/audit/audit-database.js';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { type ConnectionInfo, withClient } from '../../src/db/server.js';
import { introspectDatabase } from '../../src/introspect/introspect-database.js';
import { lintDatabase } from '../../src/lint/lint-database.js';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { connectionUrl } from '../../src/db/server.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { runCliAsync } from '../helpers/cli.js';
import type { Model } from '../../src/manifest/model.js';
import { failures, skippedChecks, type VerifyResult } from '../../src/verify/result.js';
import { VerifyPreconditionError, verifyIsolation } from '../../src/verify/verify-isolation.js';
import { leftovers, managedDatabase } from '../helpers/managed.js';
import { testServers } from '../helpers/servers.js';

const verify = (model: Model, connection: ConnectionInfo, probeRoles: Record<string, string> = {}): Promise<VerifyResult> =>
  withClient(connection, (client) => verifyIsolation({ model, client, probeRoles }));

/** Every check's status, by where it was made: what two runs must agree on. */
function verdicts(result: VerifyResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of result.roleChecks) out[`(roles) ${c.check}`] = c.status;
  for (const t of result.tables) for (const c of t.checks) out[`${t.table} ${c.check}`] = c.status;
  for (const o of result.objects) for (const c of o.checks) out[`${o.object} ${c.check}`] = c.status;
  return out;
}

/** What lint reports on the connection's database, against the manifest. */
const lint = (model: Model, connection: ConnectionInfo) =>
  withClient(connection, async (c) => lintDatabase(await introspectDatabase(c), { model, appRole: model.roles.app.name }));

const audit = (model: Model, connection: ConnectionInfo) => withClient(connection, (c) => auditDatabase(c, { model }));

/** A read-only auditor, as the managed platforms hand them out: a login with pg_read_all_data and nothing else. */
async function auditor(db: { superuser: ConnectionInfo; admin: ConnectionInfo }): Promise<ConnectionInfo> {
  const user = `${db.admin.user}_auditor`;
  await withClient(db.superuser, (c) => c.query(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD 'auditor' IN ROLE pg_read_all_data`));
  return { ...db.admin, user, password: 'auditor' };
}

describe.each(testServers())('verify without a superuser on $label', (server) => {
  it('proves the full matrix as the tables\' owner with CREATEROLE, with the superuser\'s verdicts, and leaves nothing behind', async () => {
    const db = await managedDatabase(server);
    try {
      const before = await leftovers(db.superuser);
      const asAdmin = await verify(db.model, db.admin);
      expect(failures(asAdmin)).toEqual([]);
      expect(skippedChecks(asAdmin)).toEqual([]);
      expect(asAdmin.ok).toBe(true);
      expect(asAdmin.connectedAs).toEqual({ role: db.admin.user, superuser: false, actingBy: 'SET ROLE' });
      expect(asAdmin.tables).toHaveLength(32);
      const asSuperuser = await verify(db.model, db.superuser);
      expect(asSuperuser.connectedAs.actingBy).toBe('SET SESSION AUTHORIZATION');
      expect(verdicts(asAdmin)).toEqual(verdicts(asSuperuser));
      expect(Object.keys(verdicts(asAdmin)).length).toBeGreaterThan(32 * 20);
      expect(await leftovers(db.superuser)).toEqual(before);
    } finally {
      await db.drop();
    }
  });

  it('fails on a planted USING (true) policy and names it, as the owner', async () => {
    const db = await managedDatabase(server);
    try {
      await withClient(db.admin, (c) => c.query(`DROP POLICY rlsgen_tenant_select ON public.deals; CREATE POLICY open_deals ON public.deals FOR SELECT TO ${db.app} USING (true)`));
      const result = await verify(db.model, db.admin);
      expect(result.ok).toBe(false);
      const readOther = failures(result).find((f) => f.table === 'deals' && f.check.check === 'read-other');
      expect(readOther?.check.detail).toMatch(/^saw \d+ rows of other tenants \(SELECT policies for crm_app_\w+: open_deals USING \(true\)\)$/);
      const asSuperuser = await verify(db.model, db.superuser);
      expect(verdicts(result)).toEqual(verdicts(asSuperuser));
    } finally {
      await db.drop();
    }
  });

  it('leaves nothing behind when the connection is lost in the middle of the proof', async () => {
    const db = await managedDatabase(server);
    try {
      const before = await leftovers(db.superuser);
      let queries = 0;
      let pid = 0;
      const killed = withClient(db.admin, async (client) => {
        pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        // Past the seeding, in the middle of the probes: the rlsgen process dies.
        (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
          queries += 1;
          if (queries === 900) {
            await withClient(db.superuser, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
          }
          return query(...args);
        };
        return verifyIsolation({ model: db.model, client });
      });
      await expect(killed).rejects.toThrow();
      expect(queries).toBeGreaterThanOrEqual(900);
      await withClient(db.superuser, async (c) => {
        for (let i = 0; i < 100; i++) {
          if ((await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      expect(await leftovers(db.superuser)).toEqual(before);
    } finally {
      await db.drop();
    }
  });

  it('skips, and says so, the checks of a role it cannot act as; the verdict is not a PASS', async () => {
    // No CREATEROLE: the administrator was given the application role with
    // ADMIN OPTION, and nothing on the cross-tenant role.
    const db = await managedDatabase(server, {
      attributes: 'NOCREATEROLE',
      before: 'CREATE ROLE {app} NOLOGIN; CREATE ROLE {cross} NOLOGIN; CREATE ROLE {lookup} NOLOGIN; GRANT {app}, {lookup} TO {admin} WITH ADMIN OPTION;',
    });
    try {
      const result = await verify(db.model, db.admin);
      expect(failures(result)).toEqual([]);
      expect(result.ok).toBe(false);
      const skipped = skippedChecks(result);
      expect(new Set(skipped.map((s) => s.check.check))).toEqual(new Set(['cross-read', 'cross-write', 'tenant-row']));
      expect(skipped[0]?.check.detail).toContain(`${db.admin.user} cannot act as ${db.cross}: GRANT ${db.cross} TO ${db.admin.user} failed`);
    } finally {
      await db.drop();
    }
  });

  it('names the missing privilege when it cannot act as the application role', async () => {
    // The roles made beforehand; the administrator may own the lookups (it can SET ROLE to their role), nothing on the application role.
    const db = await managedDatabase(server, { attributes: 'NOCREATEROLE', before: 'CREATE ROLE {app} NOLOGIN; CREATE ROLE {cross} NOLOGIN; CREATE ROLE {lookup} NOLOGIN; GRANT {lookup} TO {admin};' });
    try {
      const before = await leftovers(db.superuser);
      const error = await verify(db.model, db.admin).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VerifyPreconditionError);
      expect((error as Error).message).toMatch(new RegExp(`^verify acts as the application role with SET ROLE: ${db.admin.user} cannot act as ${db.app}: GRANT .* failed \\(.*\\); it needs (CREATEROLE or ADMIN OPTION|ADMIN OPTION) on ${db.app}`));
      expect(await leftovers(db.superuser)).toEqual(before);
    } finally {
      await db.drop();
    }
  });

  it('refuses a connection that does not own the scoped tables, naming them', async () => {
    const db = await managedDatabase(server);
    try {
      await withClient(db.superuser, (c) => c.query(`CREATE ROLE ${db.app}_other LOGIN PASSWORD 'x' CREATEROLE; ALTER TABLE public.deals OWNER TO ${db.app}_other`));
      const error = await verify(db.model, db.admin).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`is neither a superuser, BYPASSRLS, nor the owner (or a member of the owner) of 1 of them: public.deals (owner ${db.app}_other); connect as their owner`);
    } finally {
      await db.drop();
    }
  });

  it('acts through a --probe-role login, and refuses one that would prove nothing', async () => {
    const db = await managedDatabase(server);
    try {
      const probe = `${db.app}_login`;
      await withClient(db.admin, (c) => c.query(`CREATE ROLE ${probe} LOGIN IN ROLE ${db.app}`));
      const result = await verify(db.model, db.admin, { [db.app]: probe });
      expect(failures(result)).toEqual([]);
      expect(result.ok).toBe(true);
      // PostgreSQL 16+ keeps inheritance per membership; before, per role.
      const noInherit = server.versionNum >= 160000 ? `REVOKE ${db.app} FROM ${probe}; GRANT ${db.app} TO ${probe} WITH INHERIT FALSE` : `ALTER ROLE ${probe} NOINHERIT`;
      await withClient(db.admin, (c) => c.query(noInherit));
      await expect(verify(db.model, db.admin, { [db.app]: probe })).rejects.toThrow(`--probe-role ${db.app}=${probe}: ${probe} does not inherit the privileges of ${db.app}`);
      await withClient(db.superuser, (c) => c.query(server.versionNum >= 160000 ? `GRANT ${db.app} TO ${probe} WITH INHERIT TRUE; ALTER ROLE ${probe} BYPASSRLS` : `ALTER ROLE ${probe} INHERIT BYPASSRLS`));
      await expect(verify(db.model, db.admin, { [db.app]: probe })).rejects.toThrow(`--probe-role ${db.app}=${probe}: ${probe} is BYPASSRLS`);
      await withClient(db.superuser, (c) => c.query(`ALTER ROLE ${probe} NOBYPASSRLS; ALTER TABLE public.deals OWNER TO ${probe}`));
      await expect(verify(db.model, db.admin, { [db.app]: probe })).rejects.toThrow(`${probe} has the rights of ${probe}, the owner of public.deals`);
    } finally {
      await db.drop();
    }
  });

  it('flags pg_read_all_data granted to the application role, in lint and in verify', async () => {
    const db = await managedDatabase(server);
    try {
      await withClient(db.superuser, (c) => c.query(`GRANT pg_read_all_data TO ${db.app}`));
      const findings = await lint(db.model, db.admin);
      expect(findings.filter((f) => f.rule === 'ban-app-role-predefined').map((f) => f.message)).toEqual([
        expect.stringMatching(new RegExp(`^${db.app} is a member of pg_read_all_data: SELECT on every table`)),
      ]);
      const result = await verify(db.model, db.admin);
      expect(result.ok).toBe(false);
      expect(result.roleChecks.find((c) => c.check === 'predefined-role')?.status).toBe('fail');
      // What it opens is probed too: tables no grant of the manifest reaches, read through pg_read_all_data.
      const opened = result.objects.filter((o) => o.via.includes('pg_read_all_data')).map((o) => o.object);
      expect(opened).toEqual(expect.arrayContaining(['sequence public.audit_logs_id_seq', 'table public.roles']));
    } finally {
      await db.drop();
    }
  });

  it('lint and audit as a pg_read_all_data auditor find what the owner finds, and name the tables row security hides', async () => {
    const db = await managedDatabase(server, { apply: false });
    try {
      const reader = await auditor(db);
      // Before the policies: the auditor reads every row, as the owner does.
      expect(await audit(db.model, reader)).toEqual(await audit(db.model, db.admin));
      expect((await audit(db.model, reader)).undetermined).toEqual([]);
      expect(await lint(db.model, reader)).toEqual(await lint(db.model, db.admin));
      await applyMigrations({ connection: db.admin, dir: db.dir });
      expect(await lint(db.model, reader)).toEqual(await lint(db.model, db.admin));
      // With FORCE ROW LEVEL SECURITY nobody but a superuser reads the scoped tables in full: no counts, the reason instead.
      const after = await audit(db.model, reader);
      expect(after.undetermined.map((u) => u.table)).toContain('public.deals');
      expect(after.undetermined.find((u) => u.table === 'public.deals')?.reason).toMatch(/^row-level security shows \S+_auditor only the rows its policies allow/);
      expect(after.tables.map((t) => t.table)).not.toContain('public.deals');
      expect((await audit(db.model, db.superuser)).undetermined).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('rlsgen verify --database-url as the owner: PASS and exit 0; killed mid-run, nothing is left behind', async () => {
    const db = await managedDatabase(server);
    try {
      const before = await leftovers(db.superuser);
      const args = ['verify', '--manifest', db.manifestPath, '--dir', db.dir, '--database-url', connectionUrl(db.admin)];
      const run = await runCliAsync(args, { env: { DATABASE_URL: '' } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`connected as ${db.admin.user} (not a superuser), acting as ${db.app} with SET ROLE`);
      expect(run.stdout).toMatch(/^PASS: no tenant can read or change another tenant's rows in any of the \d+ scoped tables/m);
      // The same run, killed (SIGKILL) once it is probing as the application role.
      const child = spawn(process.execPath, [resolve('dist/src/cli/main.js'), ...args], { stdio: 'ignore', env: { ...process.env, DATABASE_URL: '' } });
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      let pid: number | undefined;
      await withClient(db.superuser, async (c) => {
        for (let i = 0; i < 600 && pid === undefined; i++) {
          const found = await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE usename = $1 AND query LIKE '%rlsgen_probe%'", [db.admin.user]);
          pid = found.rows[0]?.pid;
          if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
        }
      });
      expect(pid).toBeDefined();
      child.kill('SIGKILL');
      await exited;
      await withClient(db.superuser, async (c) => {
        for (let i = 0; i < 200; i++) {
          if ((await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0) return;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the killed run\'s backend is still there');
      });
      expect(await leftovers(db.superuser)).toEqual(before);
    } finally {
      await db.drop();
    }
  });
});
