import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DbSnapshot, TableInfo } from '../introspect/snapshot.js';
import type { Model, TenantType } from '../manifest/model.js';
import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import type { Outcome } from './check.js';
import type { ProofTenants } from './proof-tenants.js';
import type { ProofAccess } from './proof-access.js';

/** Makes the token the application would set for a tenant (signed context), and for the user of legacy_owner rows. */
export interface Signer {
  (tenant: string, claims?: { expires?: number; backendPid?: number }): string;
  user(user: string): string;
}

/** A value of the tenant type that cannot be parsed, or null when every string is valid (text). */
export function malformedValue(type: TenantType): string | null {
  return type === 'text' ? null : 'not-a-tenant-id';
}

/**
 * The connection the proof runs on, and how a probe acts on it. Everything
 * runs on one connection inside one transaction that is rolled back at the
 * end, so the database is left as it was: rows the proof needs are created
 * as the connecting role (a superuser, or the tables' owner), then every
 * probe runs as the application role itself, each in a savepoint: with SET
 * SESSION AUTHORIZATION for a superuser (so `current_user` and
 * `session_user` are that role), with SET ROLE for an owner (src/verify/
 * proof-access.ts); neither superuser nor owner rights apply to the probe.
 */
export class ProbeSession {
  readonly app: string;
  readonly setting: string;

  constructor(
    readonly client: pg.ClientBase,
    readonly model: Model,
    readonly snapshot: DbSnapshot,
    /** Signed context: makes the token the application would set for a tenant. */
    readonly sign: Signer | null,
    /** Logins to act as instead of a role (Citus opens worker connections as the current user, who must be able to log in). */
    private readonly probeRoles: Readonly<Record<string, string>> = {},
    /**
     * Each probe in its own transaction instead of a savepoint of one
     * transaction, the tenant set with SET LOCAL: the database is a Citus
     * coordinator (whatever the manifest's target says).
     */
    readonly isolated = false,
    /** The proof's tenants and, on Citus, the nodes their rows live on. */
    readonly proof: ProofTenants | null = null,
    /** How the connection acts as another role, and the roles it cannot act as. */
    readonly access: Pick<ProofAccess, 'mode' | 'unavailable'> = { mode: 'session-authorization', unavailable: new Map() },
  ) {
    this.app = model.roles.app.name;
    this.setting = model.tenant.setting;
  }

  /**
   * Runs one probe and undoes it: in a savepoint of the proof's transaction,
   * or, on Citus (which refuses to read placements another user modified in
   * the same transaction), in a transaction of its own.
   */
  async run<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
    const [open, undo, close] = this.isolated
      ? ['BEGIN', 'ROLLBACK', null]
      : ['SAVEPOINT rlsgen_probe', 'ROLLBACK TO SAVEPOINT rlsgen_probe', 'RELEASE SAVEPOINT rlsgen_probe'];
    await this.client.query(open);
    try {
      const value = await fn();
      await this.client.query(undo);
      return { ok: true, value };
    } catch (error) {
      await this.client.query(undo);
      const e = error as Partial<pg.DatabaseError>;
      return { ok: false, code: e.code ?? '', message: e.message ?? String(error), detail: e.detail ?? '', constraint: e.constraint ?? '', schema: e.schema ?? '', table: e.table ?? '' };
    } finally {
      if (close !== null) await this.client.query(close);
    }
  }

  /** Runs `fn` as `role` with the tenant variable set to `tenant` (undefined: left as it is). */
  as<T>(role: string, tenant: string | undefined, fn: () => Promise<T>, user?: string): Promise<Outcome<T>> {
    return this.run(async () => {
      await this.become(role);
      // A login gets this from its role setting (ALTER ROLE ... SET, checked among the role checks);
      // neither SET SESSION AUTHORIZATION nor SET ROLE applies role settings, so the proof sets it itself.
      if (this.isolated) await this.client.query("SET LOCAL citus.propagate_set_commands = 'local'");
      if (tenant !== undefined) await this.setLocal(this.setting, this.value(tenant));
      if (user !== undefined) await this.setLocal(this.model.user.setting, this.sign === null ? user : this.sign.user(user));
      return fn();
    });
  }

  /** Switches the connection to `role` (or the login standing for it) until the probe's savepoint is rolled back. */
  async become(role: string): Promise<void> {
    const target = quoteIdent(this.actingRole(role));
    await this.client.query(this.access.mode === 'session-authorization' ? `SET SESSION AUTHORIZATION ${target}` : `SET ROLE ${target}`);
  }

  /** The role whose privileges a probe acting as `role` has: the login standing for it, or the role. */
  actingRole(role: string): string {
    return this.probeRoles[role] ?? role;
  }

  /** Why the proof cannot act as `role` on this connection (a privilege it lacks), or null. */
  unavailable(role: string): string | null {
    return this.access.unavailable.get(role) ?? null;
  }

  /**
   * Whether the application role may SET ROLE to `target`. As a superuser the
   * proof tries it as that role; under SET ROLE, PostgreSQL would check the
   * connecting role's memberships instead, so the answer comes from
   * pg_has_role (PostgreSQL 16+: the SET option of the membership).
   */
  async switchesTo(target: string, tenant: string): Promise<Outcome<unknown>> {
    const sql = `SET ROLE ${quoteIdent(target)}`;
    if (this.access.mode === 'session-authorization') return this.asApp(tenant, () => this.client.query(sql));
    const { rows } = await this.client.query<{ can: boolean }>(
      "SELECT pg_has_role($1, $2, CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) AS can",
      [this.probeRoles[this.app] ?? this.app, target],
    );
    return rows[0]?.can === true ? { ok: true, value: null } : { ok: false, code: '42501', message: `permission denied to set role "${target}"`, detail: '', constraint: '', schema: '', table: '' };
  }

  /** As the application role, with the tenant variable set to `tenant` (undefined: left as it is). */
  asApp<T>(tenant: string | undefined, fn: () => Promise<T>, user?: string): Promise<Outcome<T>> {
    return this.as(this.app, tenant, fn, user);
  }

  /**
   * Sets a variable for the rest of the transaction, as the application does:
   * set_config(..., true), or on Citus SET LOCAL, the only form Citus
   * propagates to the workers.
   */
  async setLocal(name: string, value: string): Promise<void> {
    if (this.isolated) {
      await this.client.query(setLocal(name, value));
    } else {
      await this.client.query('SELECT set_config($1, $2, true)', [name, value]);
    }
  }

  /** What the application sets for a tenant: the id itself, or a signed token for it. */
  value(tenant: string): string {
    const bad = malformedValue(this.model.tenant.type);
    return this.sign === null || tenant === '' || tenant === bad ? tenant : this.sign(tenant);
  }

  /** The `n` column of the first row of a `SELECT count(*) AS n ...`. */
  async count(sql: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(sql);
    return Number(rows[0]?.n ?? 0);
  }

  /** The number of rows a statement changed. */
  async affected(sql: string): Promise<number> {
    return (await this.client.query(sql)).rowCount ?? 0;
  }

  /**
   * How the failing statement is reproduced, as the application role. On
   * Citus, in a transaction as the login that stands for the role (workers
   * refuse NOLOGIN roles), with SET LOCAL propagated to the workers, the only
   * form that reaches them.
   */
  reproduce(tenant: string | null, sql: string, role = this.app): string {
    if (this.isolated) {
      const preamble = ['BEGIN;', `SET LOCAL ROLE ${quoteIdent(this.probeRoles[role] ?? role)};`, "SET LOCAL citus.propagate_set_commands = 'local';"];
      if (tenant !== null) preamble.push(`${setLocal(this.setting, tenant)};`);
      return `${preamble.join(' ')} ${sql}; ROLLBACK;`;
    }
    const preamble = [`SET ROLE ${quoteIdent(role)};`];
    if (tenant !== null) preamble.push(`SELECT set_config(${quoteLiteral(this.setting)}, ${quoteLiteral(tenant)}, false);`);
    return `${preamble.join(' ')} ${sql}`;
  }

  /** The key (as text) of one row of `tenant`, the smallest, or null. */
  async oneKey(name: string, key: string, col: string, tenant: string): Promise<string | null> {
    const { rows } = await this.client.query<{ k: string }>(`SELECT ${key}::text AS k FROM ${name} WHERE ${col}::text = ${quoteLiteral(tenant)} ORDER BY 1 LIMIT 1`);
    return rows[0]?.k ?? null;
  }

  private insertableColumns(info: TableInfo): string[] {
    return info.columns.filter((c) => !c.generated).map((c) => c.name);
  }

  /** A row of the tenant (null: a global row), each insertable column as text; `column` holds the tenant (the tenant table's key for the tenant table). */
  async rowOf(name: string, info: TableInfo, tenant: string | null, column = this.model.tenant.column): Promise<Record<string, string | null> | null> {
    const col = quoteIdent(column);
    const where = tenant === null ? `${col} IS NULL` : `${col}::text = ${quoteLiteral(tenant)}`;
    const columns = this.insertableColumns(info);
    const { rows } = await this.client.query<{ v: (string | null)[] }>(
      `SELECT ARRAY[${columns.map((c) => `t.${quoteIdent(c)}::text`).join(', ')}] AS v FROM ${name} AS t WHERE ${where} LIMIT 1`,
    );
    const values = rows[0]?.v;
    return values === undefined ? null : Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null]));
  }

  /**
   * `INSERT ... VALUES` of a row given as text: each value is quoted, then
   * cast to its column's type (format_type() output from the catalog). A
   * VALUES list, not INSERT ... SELECT, which Citus runs as COPY and refuses
   * under row security.
   */
  insertValues(name: string, info: TableInfo, row: Readonly<Record<string, string | null>>, suffix = ''): string {
    const columns = this.insertableColumns(info);
    const type = (c: string): string => info.columns.find((x) => x.name === c)?.type ?? 'text';
    const overriding = info.columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
    const values = columns.map((c) => {
      const v = row[c];
      return v === null || v === undefined ? 'NULL' : `${quoteLiteral(v)}::${type(c)}`;
    });
    return `INSERT INTO ${name} (${columns.map(quoteIdent).join(', ')})${overriding} VALUES (${values.join(', ')})${suffix}`;
  }

  /** A key for a copied row that no existing row has. */
  async freshKey(name: string, info: TableInfo, key: string): Promise<string> {
    const pk = info.columns.find((c) => c.name === key);
    if (pk?.type === 'uuid') return randomUUID();
    if (pk?.typeCategory === 'N') return String(await this.count(`SELECT COALESCE(max(${quoteIdent(key)}), 0) + 1000000 AS n FROM ${name}`));
    return `rlsgen-${randomUUID()}`;
  }
}

/** `SET LOCAL prefix.name = 'value'` for a two-part custom variable. */
function setLocal(name: string, value: string): string {
  const [prefix, rest] = name.split('.') as [string, string];
  return `SET LOCAL ${quoteIdent(prefix)}.${quoteIdent(rest)} = ${quoteLiteral(value)}`;
}
