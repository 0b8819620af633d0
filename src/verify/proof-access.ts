import type pg from 'pg';
import { type DbSnapshot, findTableInfo, qualified, roleClosure, type TableInfo } from '../introspect/snapshot.js';
import type { Model } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { VerifyPreconditionError } from './signer.js';

/** The connecting role, as the proof needs to know it. */
export interface ConnectingRole {
  readonly name: string;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  readonly createRole: boolean;
  readonly versionNum: number;
  readonly version: string;
}

/**
 * How the proof acts as another role on its one connection:
 * - `session-authorization` (a superuser): SET SESSION AUTHORIZATION, so
 *   `session_user` is that role too;
 * - `set-role` (a managed platform's administrator, owner of the tables with
 *   CREATEROLE): SET ROLE, after making itself a member of the role for the
 *   length of the proof's transaction. `session_user` stays the connecting
 *   role, so whether the acted role may itself SET ROLE is read from the
 *   catalog, not tried.
 */
export interface ProofAccess {
  readonly mode: 'session-authorization' | 'set-role';
  readonly connecting: ConnectingRole;
  /** Roles the proof could not act as, with the privilege that was missing; their checks are skipped. */
  readonly unavailable: ReadonlyMap<string, string>;
}

export async function readConnectingRole(client: pg.ClientBase): Promise<ConnectingRole> {
  const { rows } = await client.query<{ name: string; superuser: boolean; bypass: boolean; createrole: boolean; num: string; version: string }>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass, r.rolcreaterole AS createrole,
            current_setting('server_version_num') AS num, current_setting('server_version') AS version
       FROM pg_roles AS r WHERE r.rolname = current_user`,
  );
  const row = rows[0];
  if (row === undefined) throw new VerifyPreconditionError('verify cannot read the connecting role from pg_roles');
  return { name: row.name, superuser: row.superuser, bypassRls: row.bypass, createRole: row.createrole, versionNum: Number(row.num), version: row.version };
}

/** Whether `role` has the privileges of `owner` (is it, or inherits it): what owning a table means for row security. */
function actsAsOwner(snapshot: DbSnapshot, role: string, owner: string): boolean {
  return roleClosure(snapshot, role).has(owner);
}

/**
 * Checks, before the proof's transaction opens, that a connection that is
 * not a superuser can prove the manifest's tables: not on Citus (where the
 * proof commits the rows it needs), and every scoped table with row-level
 * security owned by the connecting role, unless it has BYPASSRLS (the owner
 * reads every tenant's rows to know what each tenant must see).
 */
export function checkOwnerAccess(model: Model, snapshot: DbSnapshot, connecting: ConnectingRole): void {
  if (connecting.superuser) return;
  if (snapshot.citus !== null) {
    throw new VerifyPreconditionError(`verify on Citus needs a superuser connection: the proof commits the rows it needs on the workers and removes them afterwards; ${connecting.name} is not a superuser`);
  }
  if (connecting.bypassRls) return;
  const foreign = model.tables
    .filter((t) => t.mode !== 'exempt')
    .map((t) => findTableInfo(snapshot, t.name))
    .filter((t): t is TableInfo => t !== undefined && t.rlsEnabled && !actsAsOwner(snapshot, connecting.name, t.owner));
  if (foreign.length > 0) {
    const list = foreign.slice(0, 5).map((t) => `${qualified(t)} (owner ${t.owner})`).join(', ');
    throw new VerifyPreconditionError(
      `verify reads every tenant's rows as the owner of the scoped tables, and ${connecting.name} is neither a superuser, BYPASSRLS, nor the owner (or a member of the owner) of ${foreign.length} of them: ${list}${foreign.length > 5 ? ', ...' : ''}; connect as their owner`,
    );
  }
}

/** The error's message, for a precondition naming what failed. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Inside the proof's transaction, as the tables' owner: lifts FORCE ROW LEVEL
 * SECURITY from every table it owns, so its own reads and the rows it writes
 * see every tenant, exactly as a superuser's would. The roles the probes act
 * as are not owners, so the policies apply to them either way. ALTER TABLE
 * takes an ACCESS EXCLUSIVE lock, held until the rollback: the migration's
 * lock_timeout bounds the wait, and the proof belongs on a staging copy.
 */
async function liftForce(client: pg.ClientBase, model: Model, snapshot: DbSnapshot, connecting: ConnectingRole): Promise<void> {
  if (connecting.bypassRls) return;
  const { rows } = await client.query<{ previous: string }>("SELECT current_setting('lock_timeout') AS previous");
  await client.query('SELECT set_config($1, $2, true)', ['lock_timeout', model.migration.lockTimeout]);
  for (const table of snapshot.tables.filter((t) => t.rlsForced && actsAsOwner(snapshot, connecting.name, t.owner))) {
    try {
      await client.query('SAVEPOINT rlsgen_force');
      await client.query(`ALTER TABLE ${quoteQualified(table.schema, table.name)} NO FORCE ROW LEVEL SECURITY`);
      await client.query('RELEASE SAVEPOINT rlsgen_force');
    } catch (error) {
      throw new VerifyPreconditionError(
        `verify could not lift FORCE ROW LEVEL SECURITY on ${qualified(table)} for its own reads (inside its transaction, rolled back afterwards): ${messageOf(error)}${(error as { code?: string }).code === '55P03' ? ` (waited lock_timeout ${model.migration.lockTimeout}: the table is in use; run the proof on a staging copy)` : ''}`,
      );
    }
  }
  await client.query('SELECT set_config($1, $2, true)', ['lock_timeout', rows[0]?.previous ?? '0']);
}

/**
 * Makes the connecting role able to SET ROLE to `role` for the rest of the
 * transaction: nothing when it already can, otherwise GRANT role TO itself
 * (PostgreSQL 16+: WITH INHERIT FALSE, so it gains no privileges, only the
 * right to switch). Returns why that was refused, or null.
 */
async function joinRole(client: pg.ClientBase, connecting: ConnectingRole, role: string): Promise<string | null> {
  const trySet = async (): Promise<boolean> => {
    await client.query('SAVEPOINT rlsgen_join');
    try {
      await client.query(`SET ROLE ${quoteIdent(role)}`);
      return true;
    } catch {
      return false;
    } finally {
      await client.query('ROLLBACK TO SAVEPOINT rlsgen_join');
      await client.query('RELEASE SAVEPOINT rlsgen_join');
    }
  };
  if (await trySet()) return null;
  await client.query('SAVEPOINT rlsgen_join');
  try {
    await client.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(connecting.name)}${connecting.versionNum >= 160000 ? ' WITH INHERIT FALSE, SET TRUE' : ''}`);
    await client.query('RELEASE SAVEPOINT rlsgen_join');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT rlsgen_join');
    await client.query('RELEASE SAVEPOINT rlsgen_join');
    const needs = connecting.versionNum >= 160000
      ? `ADMIN OPTION on ${role} (on PostgreSQL 16+ a CREATEROLE role has it on the roles it created; otherwise GRANT ${role} TO ${connecting.name} WITH ADMIN OPTION, or WITH SET TRUE)`
      : `CREATEROLE or ADMIN OPTION on ${role} (or GRANT ${role} TO ${connecting.name})`;
    return `${connecting.name} cannot act as ${role}: GRANT ${role} TO ${connecting.name} failed (${messageOf(error)}); it needs ${needs}`;
  }
  return (await trySet()) ? null : `${connecting.name} cannot SET ROLE ${role} even after GRANT ${role} TO ${connecting.name}`;
}

/**
 * Opens the proof's access on its transaction (already begun): a superuser
 * needs nothing; an owner lifts FORCE on its tables and joins the roles the
 * probes act as. Everything it changes is undone by the proof's ROLLBACK, or
 * by PostgreSQL when the connection is lost: nothing outlives the run.
 * Throws when the application role itself cannot be acted as.
 */
export async function openProofAccess(
  client: pg.ClientBase,
  model: Model,
  snapshot: DbSnapshot,
  connecting: ConnectingRole,
  probeRoles: Readonly<Record<string, string>>,
): Promise<ProofAccess> {
  if (connecting.superuser) return { mode: 'session-authorization', connecting, unavailable: new Map() };
  await liftForce(client, model, snapshot, connecting);
  const unavailable = new Map<string, string>();
  const roles = [model.roles.app.name, ...(model.roles.crossTenant === null ? [] : [model.roles.crossTenant.name])];
  for (const role of roles) {
    const target = probeRoles[role] ?? role;
    const refused = await joinRole(client, connecting, target);
    if (refused === null) continue;
    if (role === model.roles.app.name) throw new VerifyPreconditionError(`verify acts as the application role with SET ROLE: ${refused}`);
    unavailable.set(role, refused);
  }
  return { mode: 'set-role', connecting, unavailable };
}
