import type pg from 'pg';
import { type DbSnapshot, findTableInfo, qualified, roleClosure } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { VerifyPreconditionError } from './signer.js';

/**
 * The logins given with --probe-role must stand for their role exactly: a
 * member of it that inherits its privileges (a NOINHERIT member would be
 * denied everything, and every leak would look sealed), and nothing more: no
 * superuser or BYPASSRLS anywhere in its memberships, no ownership of a
 * scoped table (an owner skips unforced policies). Throws on the first that
 * does not.
 */
export async function checkProbeRoles(client: pg.ClientBase, model: Model, snapshot: DbSnapshot, probeRoles: Readonly<Record<string, string>>): Promise<void> {
  for (const [role, login] of Object.entries(probeRoles)) {
    const flag = `--probe-role ${role}=${login}`;
    if (!snapshot.roles.some((r) => r.name === login)) throw new VerifyPreconditionError(`${flag}: there is no role ${login}`);
    const closure = roleClosure(snapshot, login);
    if (!closure.has(role)) throw new VerifyPreconditionError(`${flag}: ${login} is not a member of ${role}`);
    const bypassing = snapshot.roles.find((r) => closure.has(r.name) && (r.superuser || r.bypassRls));
    if (bypassing !== undefined) {
      const what = bypassing.superuser ? 'a superuser' : 'BYPASSRLS';
      throw new VerifyPreconditionError(`${flag}: ${bypassing.name === login ? login : `${login} is a member of ${bypassing.name}, which`} is ${what}: row security never applies to it, so it proves nothing`);
    }
    const owned = model.tables
      .filter((t) => t.mode !== 'exempt')
      .map((t) => findTableInfo(snapshot, t.name))
      .find((t) => t !== undefined && closure.has(t.owner));
    if (owned !== undefined) throw new VerifyPreconditionError(`${flag}: ${login} has the rights of ${owned.owner}, the owner of ${qualified(owned)}: an owner skips unforced policies and can drop them`);
    const { rows } = await client.query<{ inherits: boolean }>("SELECT pg_has_role($1, $2, 'USAGE') AS inherits", [login, role]);
    if (rows[0]?.inherits !== true) throw new VerifyPreconditionError(`${flag}: ${login} does not inherit the privileges of ${role} (NOINHERIT, or on PostgreSQL 16+ a membership WITH INHERIT FALSE): every probe would be denied, and a denial proves nothing`);
  }
}
