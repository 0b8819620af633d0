import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { introspectDatabase } from '../introspect/introspect-database.js';
import { type DbSnapshot, findTableInfo, roleClosure, type TableInfo } from '../introspect/snapshot.js';
import type { Model, TableModel, TenantType } from '../manifest/model.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';
import type { CheckId, CheckResult, TableVerdict, VerifyResult } from './result.js';
import { signTenantToken } from '../runtime/signed-token.js';
import { RowSeeder } from './seed-rows.js';

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string; readonly detail: string; readonly constraint: string };

const pass = (check: CheckId, detail: string): CheckResult => ({ check, status: 'pass', detail });
const notApplicable = (check: CheckId, detail: string): CheckResult => ({ check, status: 'n/a', detail });
const fail = (check: CheckId, detail: string, sql?: string): CheckResult => (sql === undefined ? { check, status: 'fail', detail } : { check, status: 'fail', detail, sql });

/** A value of the tenant type that cannot be parsed, or null when every string is valid (text). */
function malformedValue(type: TenantType): string | null {
  return type === 'text' ? null : 'not-a-tenant-id';
}

/**
 * The isolation proof. Everything runs on one connection inside one
 * transaction that is rolled back at the end, so the database is left as it
 * was: rows the proof needs are created as the connecting superuser, then
 * every probe runs as the application role itself (SET SESSION
 * AUTHORIZATION, so `current_user` and `session_user` are that role and
 * neither superuser nor owner rights apply), each in a savepoint.
 */
class Proof {
  private readonly app: string;
  private readonly setting: string;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly model: Model,
    private readonly snapshot: DbSnapshot,
    /** Signed context: makes the token the application would set for a tenant. */
    private readonly sign: ((tenant: string, claims?: { expires?: number; backendPid?: number }) => string) | null,
    /** Logins to act as instead of a role (Citus opens worker connections as the current user, who must be able to log in). */
    private readonly probeRoles: Readonly<Record<string, string>> = {},
    /** Each probe in its own transaction (Citus) instead of a savepoint of one transaction. */
    private readonly isolated = false,
  ) {
    this.app = model.roles.app.name;
    this.setting = model.tenant.setting;
  }

  /**
   * Runs one probe and undoes it: in a savepoint of the proof's transaction,
   * or, on Citus (which refuses to read placements another user modified in
   * the same transaction), in a transaction of its own.
   */
  private async run<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
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
      return { ok: false, code: e.code ?? '', message: e.message ?? String(error), detail: e.detail ?? '', constraint: e.constraint ?? '' };
    } finally {
      if (close !== null) await this.client.query(close);
    }
  }

  /** Runs `fn` as `role` with the tenant variable set to `tenant` (undefined: left as it is). */
  private as<T>(role: string, tenant: string | undefined, fn: () => Promise<T>, user?: string): Promise<Outcome<T>> {
    return this.run(async () => {
      await this.client.query(`SET SESSION AUTHORIZATION ${quoteIdent(this.probeRoles[role] ?? role)}`);
      // A login gets this from its role setting (ALTER ROLE ... SET, checked among the role checks);
      // SET SESSION AUTHORIZATION does not apply role settings, so the proof sets it itself.
      if (this.model.target === 'citus') await this.client.query("SET LOCAL citus.propagate_set_commands = 'local'");
      if (tenant !== undefined) await this.setLocal(this.setting, this.value(tenant));
      if (user !== undefined) await this.setLocal(this.model.user.setting, user);
      return fn();
    });
  }

  /**
   * Sets a variable for the rest of the transaction, as the application does:
   * set_config(..., true), or on Citus SET LOCAL, the only form Citus
   * propagates to the workers.
   */
  private async setLocal(name: string, value: string): Promise<void> {
    if (this.model.target === 'citus') {
      const [prefix, rest] = name.split('.') as [string, string];
      await this.client.query(`SET LOCAL ${quoteIdent(prefix)}.${quoteIdent(rest)} = ${quoteLiteral(value)}`);
    } else {
      await this.client.query('SELECT set_config($1, $2, true)', [name, value]);
    }
  }

  /** What the application sets for a tenant: the id itself, or a signed token for it. */
  private value(tenant: string): string {
    const bad = malformedValue(this.model.tenant.type);
    return this.sign === null || tenant === '' || tenant === bad ? tenant : this.sign(tenant);
  }

  private async count(sql: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(sql);
    return Number(rows[0]?.n ?? 0);
  }

  /** How the failing statement is reproduced, as the application role. */
  private reproduce(tenant: string | null, sql: string, role = this.app): string {
    const preamble = [`SET ROLE ${quoteIdent(role)};`];
    if (tenant !== null) preamble.push(`SELECT set_config(${quoteLiteral(this.setting)}, ${quoteLiteral(tenant)}, false);`);
    return `${preamble.join(' ')} ${sql}`;
  }

  async verifyTable(table: TableModel, info: TableInfo, a: string, b: string, fresh: Map<string, Outcome<number>>): Promise<CheckResult[]> {
    const name = quoteQualified(table.name.schema, table.name.name);
    const col = quoteIdent(this.model.tenant.column);
    const key = quoteIdent(table.primaryKey);
    const lit = quoteLiteral;
    const shared = table.mode === 'shared';
    const results: CheckResult[] = [];
    const ownOf = async (tenant: string): Promise<number> =>
      this.count(`SELECT count(*) AS n FROM ${name} WHERE ${col}::text = ${lit(tenant)}${shared ? ` OR ${col} IS NULL` : ''}`);
    const expectedA = await ownOf(a);
    const expectedB = await ownOf(b);
    const globals = await this.count(`SELECT count(*) AS n FROM ${name} WHERE ${col} IS NULL`);
    const total = await this.count(`SELECT count(*) AS n FROM ${name}`);

    // Reads.
    const seenSql = `SELECT count(*) AS n FROM ${name}`;
    const otherSql = `SELECT count(*) AS n FROM ${name} WHERE ${col} IS DISTINCT FROM ${lit(a)}${shared ? ` AND ${col} IS NOT NULL` : ''}`;
    const seen = await this.as(this.app, a, () => this.count(seenSql));
    const other = await this.as(this.app, a, () => this.count(otherSql));
    results.push(
      !seen.ok ? fail('read-own', `SELECT failed: ${seen.message}`, this.reproduce(a, seenSql)) : seen.value === expectedA ? pass('read-own', `${seen.value} of its ${expectedA} rows`) : fail('read-own', `saw ${seen.value} rows, owns ${expectedA}`, this.reproduce(a, seenSql)),
      !other.ok ? fail('read-other', `SELECT failed: ${other.message}`) : other.value === 0 ? pass('read-other', 'no other tenant\'s row') : fail('read-other', `saw ${other.value} rows of other tenants`, this.reproduce(a, otherSql)),
    );
    const countSql = `SELECT count(*) AS n FROM (SELECT ${col} FROM ${name} GROUP BY ${col}) AS g WHERE g.${col} IS DISTINCT FROM ${lit(a)}${shared ? ` AND g.${col} IS NOT NULL` : ''}`;
    const groups = await this.as(this.app, a, () => this.count(countSql));
    results.push(groups.ok && groups.value === 0 ? pass('count', 'aggregates see one tenant') : fail('count', groups.ok ? `${groups.value} other tenants in GROUP BY` : groups.message, this.reproduce(a, countSql)));
    const tenantTable = quoteQualified(this.model.tenant.tableName.schema, this.model.tenant.tableName.name);
    const joins = [
      `SELECT count(*) AS n FROM ${name} AS t JOIN ${tenantTable} AS c ON c.${quoteIdent(this.model.tenant.key)} = t.${col} WHERE c.${quoteIdent(this.model.tenant.key)}::text <> ${lit(a)}`,
      ...info.foreignKeys
        .filter((fk) => fk.columns.length === 1 || fk.columns.includes(this.model.tenant.column))
        .map((fk) => {
          const parent = findTableInfo(this.snapshot, fk.references);
          if (parent === undefined || !parent.columns.some((c) => c.name === this.model.tenant.column) || !parent.rlsEnabled) return null;
          const on = fk.columns.map((c, i) => `p.${quoteIdent(fk.referencedColumns[i] ?? '')} = t.${quoteIdent(c)}`).join(' AND ');
          return `SELECT count(*) AS n FROM ${name} AS t JOIN ${quoteQualified(fk.references.schema, fk.references.name)} AS p ON ${on} WHERE p.${col} IS NOT NULL AND p.${col}::text <> ${lit(a)}`;
        })
        .filter((s): s is string => s !== null),
    ];
    let joinResult = pass('join', `${joins.length} join(s) return only its rows`);
    for (const sql of joins) {
      const joined = await this.as(this.app, a, () => this.count(sql));
      if (!joined.ok || joined.value !== 0) {
        joinResult = fail('join', joined.ok ? `${joined.value} rows of other tenants through a join` : joined.message, this.reproduce(a, sql));
        break;
      }
    }
    results.push(joinResult);

    // Unset, empty, malformed.
    const visibleSql = `SELECT count(*) AS n FROM ${name} WHERE ${col} IS NOT NULL`;
    const nothing = (check: CheckId, outcome: Outcome<number> | undefined, tenant: string | null, label: string): CheckResult => {
      if (outcome === undefined) return notApplicable(check, 'not run');
      if (!outcome.ok) return outcome.code === '22P02' ? pass(check, `${label}: error ${outcome.code}, nothing shown`) : pass(check, `${label}: ${outcome.code} ${outcome.message}`);
      return outcome.value === 0 ? pass(check, `${label}: no tenant rows visible`) : fail(check, `${label}: ${outcome.value} tenant rows visible`, this.reproduce(tenant, visibleSql));
    };
    results.push(nothing('unset-fresh', fresh.get(name), null, 'never set on this connection (NULL)'));
    const pooled = await this.as(this.app, undefined, () => this.count(visibleSql));
    results.push(nothing('unset-pooled', pooled, null, "reset after an earlier transaction ('')"));
    results.push(nothing('empty', await this.as(this.app, '', () => this.count(visibleSql)), '', 'set to an empty string'));
    const bad = malformedValue(this.model.tenant.type);
    if (bad === null) results.push(notApplicable('malformed', 'a text tenant id has no malformed form'));
    else {
      const malformed = await this.as(this.app, bad, () => this.count(visibleSql));
      results.push(!malformed.ok ? pass('malformed', `error ${malformed.code}: ${malformed.message}`) : malformed.value === 0 ? pass('malformed', 'no rows visible') : fail('malformed', `${malformed.value} rows visible with a malformed id`, this.reproduce(bad, visibleSql)));
    }
    const unsetInsert = await this.insertCopy(table, info, null, a);
    if (unsetInsert !== null && unsetInsert.ok) {
      results.push(fail('unset-pooled', 'an INSERT succeeded with the variable unset', unsetInsert.value));
    }

    // Writes into another tenant.
    const insert = await this.insertCopy(table, info, a, b);
    if (insert === null) results.push(notApplicable('insert-other', `no row of ${b} to copy`));
    else if (insert.ok) results.push(fail('insert-other', `inserted a row carrying tenant ${b}`, insert.value));
    else results.push(insert.code === '42501' ? pass('insert-other', `rejected: ${insert.code} ${insert.message}`) : fail('insert-other', `rejected for another reason (${insert.code} ${insert.message}); the policy was not what stopped it`));
    const updateSql = `UPDATE ${name} SET ${key} = ${key} WHERE ${col}::text = ${lit(b)}`;
    const update = await this.as(this.app, a, async () => (await this.client.query(updateSql)).rowCount ?? 0);
    results.push(!update.ok ? (update.code === '42501' ? pass('update-other', `denied: ${update.message}`) : fail('update-other', update.message)) : update.value === 0 ? pass('update-other', '0 rows affected') : fail('update-other', `${update.value} rows of ${b} updated`, this.reproduce(a, updateSql)));
    const deleteSql = `DELETE FROM ${name} WHERE ${col}::text = ${lit(b)}`;
    const del = await this.as(this.app, a, async () => (await this.client.query(deleteSql)).rowCount ?? 0);
    results.push(!del.ok ? (del.code === '42501' ? pass('delete-other', `denied: ${del.message}`) : fail('delete-other', del.message)) : del.value === 0 ? pass('delete-other', '0 rows affected') : fail('delete-other', `${del.value} rows of ${b} deleted`, this.reproduce(a, deleteSql)));
    const returningSql = `UPDATE ${name} SET ${key} = ${key} WHERE ${col}::text = ${lit(b)} RETURNING *`;
    const returning = await this.as(this.app, a, async () => (await this.client.query(returningSql)).rows.length);
    results.push(!returning.ok ? pass('returning', `denied: ${returning.message}`) : returning.value === 0 ? pass('returning', 'RETURNING returned nothing') : fail('returning', `RETURNING returned ${returning.value} rows of ${b}`, this.reproduce(a, returningSql)));

    // Moving a row to another tenant.
    const ownKey = await this.oneKey(name, key, col, a);
    if (ownKey === null) results.push(notApplicable('hop', `no row of ${a}`));
    else {
      const hopSql = `UPDATE ${name} SET ${col} = ${lit(b)} WHERE ${key}::text = ${lit(ownKey)}`;
      const hop = await this.as(this.app, a, async () => (await this.client.query(hopSql)).rowCount ?? 0);
      // A "blind" UPDATE (no WHERE, no RETURNING) needs no SELECT rights, so
      // only the UPDATE policy's WITH CHECK guards the new row.
      const blindSql = `UPDATE ${name} SET ${col} = ${lit(b)}`;
      const blind = await this.as(this.app, a, async () => (await this.client.query(blindSql)).rowCount ?? 0);
      const moved = [hop, blind].find((o) => o.ok && o.value > 0);
      // Citus refuses to change a row's distribution column outright (0A000).
      const other = [hop, blind].find((o) => !o.ok && o.code !== '42501' && !(o.code === '0A000' && /partition value/.test(o.message)));
      results.push(
        moved !== undefined
          ? fail('hop', `moved its rows to ${b}`, this.reproduce(a, moved === hop ? hopSql : blindSql))
          : other !== undefined && !other.ok
            ? fail('hop', `rejected for another reason than row security: ${other.code} ${other.message}`)
            : pass('hop', 'rows cannot move to another tenant (by key or blind UPDATE)'),
      );
    }

    // INSERT ... ON CONFLICT DO UPDATE onto another tenant's row.
    const otherRow = await this.rowOf(name, info, b);
    if (otherRow === null || !table.commands.includes('insert') || !table.commands.includes('update')) {
      results.push(notApplicable('upsert', otherRow === null ? `no row of ${b}` : 'the application role may not both insert and update'));
    } else {
      const arbiter = info.primaryKey ?? [table.primaryKey];
      const conflict = arbiter.filter((c) => c !== this.model.tenant.column);
      // The proposed row collides with B's row on the key: through the id
      // alone under A's tenant, or naming B's tenant where the key includes
      // the tenant column (Citus, composite keys).
      const proposedTenant = arbiter.includes(this.model.tenant.column) ? b : a;
      const upsertSql = this.insertValues(
        name,
        info,
        { ...otherRow, [this.model.tenant.column]: proposedTenant },
        ` ON CONFLICT (${arbiter.map(quoteIdent).join(', ')}) DO UPDATE SET ${conflict.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ') || `${col} = EXCLUDED.${col}`} RETURNING *`,
      );
      const upsert = await this.as(this.app, a, async () => (await this.client.query(upsertSql)).rows.length);
      results.push(!upsert.ok ? (upsert.code === '42501' ? pass('upsert', `rejected: ${upsert.message}`) : fail('upsert', `rejected for another reason: ${upsert.code} ${upsert.message}`)) : upsert.value === 0 ? pass('upsert', 'nothing returned') : fail('upsert', `took over the row of ${b} through ON CONFLICT DO UPDATE`, this.reproduce(a, upsertSql)));
    }

    results.push(await this.referenceCheck(table, info, a, b));

    // TRUNCATE ignores row security: the privilege itself is the leak, even
    // where a foreign key happens to stop this particular attempt.
    const truncateSql = `TRUNCATE ${name}`;
    const privilege = await this.client.query<{ ok: boolean }>('SELECT has_table_privilege($1, $2, $3) AS ok', [this.app, name, 'TRUNCATE']);
    const truncate = await this.as(this.app, a, () => this.client.query(truncateSql));
    results.push(
      truncate.ok || privilege.rows[0]?.ok === true
        ? fail('truncate', `${this.app} holds TRUNCATE on the table (TRUNCATE ignores row security)`, this.reproduce(a, truncateSql))
        : pass('truncate', `denied: ${truncate.code}`),
    );

    const offSql = `SET row_security = off; SELECT count(*) AS n FROM ${name} WHERE ${col} IS DISTINCT FROM ${lit(a)}${shared ? ` AND ${col} IS NOT NULL` : ''}`;
    const off = await this.as(this.app, a, async () => {
      await this.client.query('SET LOCAL row_security = off');
      return this.count(`SELECT count(*) AS n FROM ${name} WHERE ${col} IS DISTINCT FROM ${lit(a)}${shared ? ` AND ${col} IS NOT NULL` : ''}`);
    });
    results.push(!off.ok ? pass('row-security-off', `${off.code}: ${off.message}`) : off.value === 0 ? pass('row-security-off', 'still filtered') : fail('row-security-off', `${off.value} rows of other tenants with row_security off`, this.reproduce(a, offSql)));

    if (info.owner === this.app) results.push(fail('set-role-owner', `the application role ${this.app} owns the table and can disable its policies`));
    else {
      const roleSql = `SET ROLE ${quoteIdent(info.owner)}`;
      const setRole = await this.as(this.app, a, () => this.client.query(roleSql));
      results.push(setRole.ok ? fail('set-role-owner', `can SET ROLE to the owner ${info.owner}`, this.reproduce(a, roleSql)) : pass('set-role-owner', `SET ROLE ${info.owner} denied`));
    }

    // One prepared statement, a generic plan, two tenants in turn: each
    // execution must see only the tenant set at that moment. A policy whose
    // value was folded into the plan (an IMMUTABLE helper) shows the first
    // tenant's rows to the second.
    const current = this.sign === null ? 'current_setting($1, true)' : `(regexp_match(current_setting($1, true), '\\.([^.]+)$'))[1]`;
    const probeSql = `SELECT count(*) FILTER (WHERE ${col} IS NOT NULL AND ${col}::text IS DISTINCT FROM ${current}) AS foreign_rows, count(*) FILTER (WHERE ${col} IS NOT NULL) AS n FROM ${name}`;
    const prepared = await this.as(this.app, a, async () => {
      // Citus plans its own way (it builds no distributed generic plan for this); PostgreSQL is forced to the generic plan.
      if (!this.isolated) await this.client.query("SET LOCAL plan_cache_mode = 'force_generic_plan'");
      const statement = { name: `rlsgen_probe_${info.oid}`, text: probeSql, values: [this.setting] };
      const run = async (): Promise<[number, number]> => {
        const row = (await this.client.query<{ foreign_rows: string; n: string }>(statement)).rows[0];
        return [Number(row?.foreign_rows), Number(row?.n)];
      };
      const first = await run();
      await this.setLocal(this.setting, this.value(b));
      const second = await run();
      await this.client.query(`DEALLOCATE ${quoteIdent(statement.name)}`);
      return [first, second] as const;
    });
    const expectedTenantRows = async (t: string): Promise<number> => this.count(`SELECT count(*) AS n FROM ${name} WHERE ${col}::text = ${lit(t)}`);
    const [wantA, wantB] = [await expectedTenantRows(a), await expectedTenantRows(b)];
    if (!prepared.ok) results.push(fail('prepared', prepared.message));
    else {
      const [[foreignA, seenA], [foreignB, seenB]] = prepared.value;
      results.push(
        foreignA === 0 && foreignB === 0 && seenA === wantA && seenB === wantB
          ? pass('prepared', `generic plan reused: ${wantA} rows for A, then ${wantB} for B`)
          : fail('prepared', `a reused generic plan showed ${seenB} rows to B, ${foreignB} of them not B's: the plan carried A's tenant into B's transaction`, `SET plan_cache_mode = force_generic_plan; PREPARE p(text) AS ${probeSql}; -- EXECUTE p(${quoteLiteral(this.setting)}) as A, then as B`),
      );
    }

    // Shared tables: global rows are readable, never writable.
    if (!shared) results.push(notApplicable('global-read', 'tenant table'), notApplicable('global-write', 'tenant table'));
    else {
      const globalSql = `SELECT count(*) AS n FROM ${name} WHERE ${col} IS NULL`;
      const readGlobal = await this.as(this.app, a, () => this.count(globalSql));
      results.push(readGlobal.ok && readGlobal.value === globals ? pass('global-read', `${globals} global rows readable`) : fail('global-read', readGlobal.ok ? `saw ${readGlobal.value} of ${globals} global rows` : readGlobal.message, this.reproduce(a, globalSql)));
      const writeSql = `UPDATE ${name} SET ${key} = ${key} WHERE ${col} IS NULL`;
      const writeGlobal = await this.as(this.app, a, async () => (await this.client.query(writeSql)).rowCount ?? 0);
      const deleteGlobalSql = `DELETE FROM ${name} WHERE ${col} IS NULL`;
      const deleteGlobal = await this.as(this.app, a, async () => (await this.client.query(deleteGlobalSql)).rowCount ?? 0);
      const insertGlobal = await this.insertCopy(table, info, a, null);
      const writes = [writeGlobal, deleteGlobal].filter((o) => o.ok && o.value > 0).length + (insertGlobal?.ok === true ? 1 : 0);
      results.push(writes === 0 ? pass('global-write', 'global rows cannot be updated, deleted or inserted') : fail('global-write', `${writes} write(s) to global rows succeeded`, this.reproduce(a, writeSql)));
    }

    results.push(await this.legacyCheck(table, name, col, a));
    results.push(await this.signedCheck(table, info, name, col, a, b));
    results.push(...(await this.crossChecks(name, key, total)));
    return results;
  }

  private insertableColumns(info: TableInfo): string[] {
    return info.columns.filter((c) => !c.generated).map((c) => c.name);
  }

  private async oneKey(name: string, key: string, col: string, tenant: string): Promise<string | null> {
    const { rows } = await this.client.query<{ k: string }>(`SELECT ${key}::text AS k FROM ${name} WHERE ${col}::text = ${quoteLiteral(tenant)} ORDER BY 1 LIMIT 1`);
    return rows[0]?.k ?? null;
  }

  /** A row of the tenant (null: a global row), each insertable column as text. */
  private async rowOf(name: string, info: TableInfo, tenant: string | null): Promise<Record<string, string | null> | null> {
    const col = quoteIdent(this.model.tenant.column);
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
  private insertValues(name: string, info: TableInfo, row: Readonly<Record<string, string | null>>, suffix = ''): string {
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
  private async freshKey(name: string, info: TableInfo, key: string): Promise<string> {
    const pk = info.columns.find((c) => c.name === key);
    if (pk?.type === 'uuid') return randomUUID();
    if (pk?.typeCategory === 'N') return String(await this.count(`SELECT COALESCE(max(${quoteIdent(key)}), 0) + 1000000 AS n FROM ${name}`));
    return `rlsgen-${randomUUID()}`;
  }

  /** As tenant `as` (null: variable unset), inserts a copy of a row of `from` (null: a global row) with a new key. Null when there is no row to copy. */
  private async insertCopy(table: TableModel, info: TableInfo, as: string | null, from: string | null): Promise<Outcome<string> | null> {
    const name = quoteQualified(table.name.schema, table.name.name);
    const row = await this.rowOf(name, info, from);
    if (row === null) return null;
    const sql = this.insertValues(name, info, { ...row, [table.primaryKey]: await this.freshKey(name, info, table.primaryKey) });
    const outcome = await this.as(this.app, as ?? undefined, () => this.client.query(sql));
    return outcome.ok ? { ok: true, value: this.reproduce(as, sql) } : outcome;
  }

  /** A row of A pointing at B's parent row must fail exactly as a pointer to a missing row fails. */
  private async referenceCheck(table: TableModel, info: TableInfo, a: string, b: string): Promise<CheckResult> {
    const tenantColumn = this.model.tenant.column;
    const name = quoteQualified(table.name.schema, table.name.name);
    const col = quoteIdent(tenantColumn);
    const key = quoteIdent(table.primaryKey);
    const candidates = info.foreignKeys
      .map((fk) => ({ fk, column: fk.columns.find((c) => c !== tenantColumn) }))
      .filter((x): x is { fk: (typeof info.foreignKeys)[number]; column: string } => x.column !== undefined && x.fk.columns.length <= 2)
      .filter(({ fk }) => {
        const parent = findTableInfo(this.snapshot, fk.references);
        return parent !== undefined && parent.rlsEnabled && parent.columns.some((c) => c.name === tenantColumn);
      });
    if (candidates.length === 0) return notApplicable('reference', 'no foreign key to a tenant table');
    const ownKey = await this.oneKey(name, key, col, a);
    if (ownKey === null) return notApplicable('reference', `no row of ${a}`);
    for (const { fk, column } of candidates) {
      const parentName = quoteQualified(fk.references.schema, fk.references.name);
      const parentColumn = fk.referencedColumns[fk.columns.indexOf(column)] ?? '';
      const { rows } = await this.client.query<{ k: string; t: string }>(
        `SELECT ${quoteIdent(parentColumn)}::text AS k, pg_typeof(${quoteIdent(parentColumn)})::text AS t FROM ${parentName} WHERE ${col}::text = ${quoteLiteral(b)} LIMIT 1`,
      );
      const target = rows[0];
      if (target === undefined) continue;
      const missing = target.t === 'uuid' ? randomUUID() : /int|numeric/.test(target.t) ? '-987654321' : `rlsgen-missing-${randomUUID()}`;
      const attempt = (value: string): Promise<Outcome<number>> =>
        this.as(this.app, a, async () => (await this.client.query(`UPDATE ${name} SET ${quoteIdent(column)} = ${quoteLiteral(value)} WHERE ${key}::text = ${quoteLiteral(ownKey)}`)).rowCount ?? 0);
      const toOther = await attempt(target.k);
      const toMissing = await attempt(missing);
      const sql = this.reproduce(a, `UPDATE ${name} SET ${quoteIdent(column)} = ${quoteLiteral(target.k)} WHERE ${key}::text = ${quoteLiteral(ownKey)}`);
      if (toOther.ok && toOther.value === 0) return fail('reference', `the probe could not update its own row of ${table.key} (0 rows): isolation of the reference not proven`);
      if (toOther.ok) return fail('reference', `a row of ${a} could point ${column} at a ${fk.references.name} row of ${b}`, sql);
      if (toMissing.ok) return fail('reference', `pointing ${column} at a missing ${fk.references.name} row succeeded`);
      const mask = (o: Outcome<unknown>, id: string): string =>
        o.ok ? '' : `${o.code}|${o.constraint}|${o.message.replaceAll(id, '?')}|${o.detail.replaceAll(id, '?')}`;
      if (mask(toOther, target.k) !== mask(toMissing, missing)) {
        return fail(
          'reference',
          `${column}: pointing at a ${fk.references.name} row of ${b} fails differently from pointing at a missing one (${toOther.ok ? '' : `${toOther.code} ${toOther.constraint}`} vs ${toMissing.ok ? '' : `${toMissing.code} ${toMissing.constraint}`}): the error tells another tenant's ids exist`,
          sql,
        );
      }
    }
    return pass('reference', `${candidates.length} foreign key(s): other tenants' rows look missing`);
  }

  private async legacyCheck(table: TableModel, name: string, col: string, a: string): Promise<CheckResult> {
    if (table.legacyOwner === null) return notApplicable('legacy-owner', 'no legacy_owner');
    const owner = quoteIdent(table.legacyOwner);
    const { rows } = await this.client.query<{ o: string; n: string }>(
      `SELECT ${owner}::text AS o, count(*) AS n FROM ${name} WHERE ${col} IS NULL AND ${owner} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    const sample = rows[0];
    if (sample === undefined) return notApplicable('legacy-owner', 'no rows without a tenant left: the backfill filled them');
    const nullsSql = `SELECT count(*) AS n FROM ${name} WHERE ${col} IS NULL`;
    const asOwner = await this.as(this.app, a, () => this.count(nullsSql), sample.o);
    const asOther = await this.as(this.app, a, () => this.count(nullsSql), this.model.user.type === 'uuid' ? randomUUID() : '-1');
    const asNobody = await this.as(this.app, a, () => this.count(nullsSql));
    if (!asOwner.ok || asOwner.value !== Number(sample.n)) return fail('legacy-owner', `the owner saw ${asOwner.ok ? asOwner.value : asOwner.message} of their ${sample.n} rows without a tenant`);
    if (!asOther.ok || asOther.value !== 0 || !asNobody.ok || asNobody.value !== 0) {
      return fail('legacy-owner', 'rows without a tenant are visible to users who do not own them', this.reproduce(a, nullsSql));
    }
    return pass('legacy-owner', `${sample.n} rows without a tenant visible to their owner only`);
  }

  /** Signed context: tokens the application did not make for this backend and tenant show nothing and write nothing. */
  private async signedCheck(table: TableModel, info: TableInfo, name: string, col: string, a: string, b: string): Promise<CheckResult> {
    if (this.sign === null) return notApplicable('signed-token', 'plain context');
    const valid = this.sign(a);
    const forged = `${valid.slice(0, valid.length - a.length)}${b}`;
    const expired = this.sign(a, { expires: 1 });
    const replayed = this.sign(a, { backendPid: 1 });
    const visibleSql = `SELECT count(*) AS n FROM ${name} WHERE ${col} IS NOT NULL`;
    for (const [label, token] of [['a token edited to name another tenant', forged], ['an expired token', expired], ['a token made for another connection', replayed]] as const) {
      const seen = await this.run(async () => {
        await this.client.query(`SET SESSION AUTHORIZATION ${quoteIdent(this.app)}`);
        await this.client.query('SELECT set_config($1, $2, true)', [this.setting, token]);
        return this.count(visibleSql);
      });
      if (seen.ok && seen.value > 0) return fail('signed-token', `${label} showed ${seen.value} rows`, `SELECT set_config(${quoteLiteral(this.setting)}, ${quoteLiteral(token)}, false); ${visibleSql}`);
      const row = await this.rowOf(name, info, b);
      if (row !== null) {
        const copy = { ...row, [table.primaryKey]: await this.freshKey(name, info, table.primaryKey) };
        const write = await this.run(async () => {
          await this.client.query(`SET SESSION AUTHORIZATION ${quoteIdent(this.app)}`);
          await this.client.query('SELECT set_config($1, $2, true)', [this.setting, token]);
          return this.client.query(this.insertValues(name, info, copy));
        });
        if (write.ok) return fail('signed-token', `${label} could insert a row of ${b}`);
      }
    }
    return pass('signed-token', 'edited, expired and replayed tokens see and write nothing');
  }

  private async crossChecks(name: string, key: string, total: number): Promise<CheckResult[]> {
    const cross = this.model.roles.crossTenant;
    if (cross === null) return [notApplicable('cross-read', 'no cross-tenant role'), notApplicable('cross-write', 'no cross-tenant role')];
    const read = await this.as(cross.name, undefined, () => this.count(`SELECT count(*) AS n FROM ${name}`));
    const writeSql = `UPDATE ${name} SET ${key} = ${key}`;
    const write = await this.as(cross.name, undefined, async () => (await this.client.query(writeSql)).rowCount ?? 0);
    return [
      read.ok && read.value === total ? pass('cross-read', `reads all ${total} rows`) : fail('cross-read', read.ok ? `reads ${read.value} of ${total} rows` : read.message),
      cross.write
        ? write.ok && write.value === total
          ? pass('cross-write', `writes across tenants (${total} rows)`)
          : fail('cross-write', write.ok ? `updated ${write.value} of ${total} rows` : write.message)
        : !write.ok || write.value === 0 || total === 0
          ? pass('cross-write', 'read-only, as the manifest says')
          : fail('cross-write', `updated ${write.value} rows though the manifest makes it read-only`, this.reproduce(null, writeSql, cross.name)),
    ];
  }

  /** The unset-variable probe, first thing on the connection (before anything set the variable). */
  async freshProbe(name: string, col: string): Promise<Outcome<number>> {
    return this.as(this.app, undefined, () => this.count(`SELECT count(*) AS n FROM ${name} WHERE ${col} IS NOT NULL`));
  }

  roleChecks(): CheckResult[] {
    const app = this.snapshot.roles.find((r) => r.name === this.app);
    if (app === undefined) return [fail('role-attributes', `the application role ${this.app} does not exist`)];
    const results: CheckResult[] = [];
    results.push(
      app.superuser || app.bypassRls
        ? fail('role-attributes', `${this.app} is ${app.superuser ? 'a superuser' : 'BYPASSRLS'}: no policy applies to it`)
        : pass('role-attributes', `${this.app}: not superuser, no BYPASSRLS`),
    );
    const closure = roleClosure(this.snapshot, this.app);
    const bypassing = [...closure].filter((r) => r !== this.app && this.snapshot.roles.some((x) => x.name === r && (x.superuser || x.bypassRls)));
    const cross = this.model.roles.crossTenant?.name;
    const problems = [...bypassing.map((r) => `member of ${r}, which bypasses row security`), ...(cross !== undefined && closure.has(cross) ? [`member of the cross-tenant role ${cross}`] : [])];
    results.push(problems.length === 0 ? pass('role-membership', 'no path to a role that sees other tenants') : fail('role-membership', `${this.app} is ${problems.join('; ')}`));
    return results;
  }
}

/** The first candidate whose rows live on another node than the first candidate's. */
async function tenantOnAnotherNode(client: pg.ClientBase, model: Model, candidates: readonly string[]): Promise<string | undefined> {
  const root = quoteQualified(model.tenant.tableName.schema, model.tenant.tableName.name);
  const nodeOf = async (tenant: string): Promise<string> => {
    const { rows } = await client.query<{ node: string }>(
      `SELECT p.nodename || ':' || p.nodeport AS node FROM pg_dist_shard_placement AS p
        WHERE p.shardid = get_shard_id_for_distribution_column($1::regclass, $2::${model.tenant.type}) LIMIT 1`,
      [root, tenant],
    );
    return rows[0]?.node ?? '';
  };
  const first = candidates[0];
  if (first === undefined) return undefined;
  const home = await nodeOf(first);
  for (const candidate of candidates.slice(1)) if ((await nodeOf(candidate)) !== home) return candidate;
  return candidates[1];
}

/** The database cannot be proven as given (wrong connection, missing setup): a usage problem, not a finding. */
export class VerifyPreconditionError extends Error {
  override readonly name = 'VerifyPreconditionError';
}

export interface VerifyOptions {
  readonly model: Model;
  /**
   * Logins to act as instead of the roles themselves (role -> login member of
   * it), as a deployed application connects. Needed on Citus, which opens
   * worker connections as the current user.
   */
  readonly probeRoles?: Readonly<Record<string, string>>;
  /** A superuser connection (needed to act as the application role with SET SESSION AUTHORIZATION). */
  readonly client: pg.ClientBase;
}

/**
 * `rlsgen verify`: proves on a database with the policies applied that no
 * tenant can read or change another tenant's rows, for every table of the
 * manifest. Leaves the database as it found it (one transaction, rolled back).
 */
export async function verifyIsolation(options: VerifyOptions): Promise<VerifyResult> {
  const { client, model } = options;
  const { rows } = await client.query<{ superuser: boolean; version: string }>(
    "SELECT rolsuper AS superuser, current_setting('server_version') AS version FROM pg_roles WHERE rolname = current_user",
  );
  if (rows[0]?.superuser !== true) {
    throw new VerifyPreconditionError('verify needs a superuser connection: it creates the rows it needs and acts as the application role (SET SESSION AUTHORIZATION), all inside a transaction it rolls back');
  }
  const snapshot = await introspectDatabase(client);
  for (const [role, login] of Object.entries(options.probeRoles ?? {})) {
    if (!snapshot.roles.some((r) => r.name === login)) throw new VerifyPreconditionError(`--probe-role ${role}=${login}: there is no role ${login}`);
    if (!roleClosure(snapshot, login).has(role)) throw new VerifyPreconditionError(`--probe-role ${role}=${login}: ${login} is not a member of ${role}`);
  }
  let sign: ((tenant: string, claims?: { expires?: number; backendPid?: number }) => string) | null = null;
  if (model.context === 'signed') {
    const secret = await client.query<{ secret: Buffer; pid: number }>('SELECT s.secret, pg_backend_pid() AS pid FROM rlsgen.context_secret AS s WHERE s.id').catch(() => ({ rows: [] }));
    const row = secret.rows[0];
    if (row === undefined) throw new VerifyPreconditionError('signed context: rlsgen.context_secret holds no secret yet; set one with `rlsgen secret`');
    sign = (tenant, claims = {}) =>
      signTenantToken(row.secret, { tenant, expires: claims.expires ?? Math.floor(Date.now() / 1000) + 600, backendPid: claims.backendPid ?? row.pid });
  }
  // On Citus the proof cannot be one transaction: rows it needs are committed
  // first and deleted at the end, and each probe is a transaction of its own.
  const isolated = snapshot.citus !== null;
  if (!isolated) await client.query('BEGIN');
  const seeder = new RowSeeder(client, snapshot, model.tenant.column, model.tenant.tableName, model.tenant.key);
  try {
    const proof = new Proof(client, model, snapshot, sign, options.probeRoles ?? {}, isolated);
    const scoped = model.tables.filter((t) => t.mode !== 'exempt');
    const infos = new Map<string, TableInfo>();
    for (const table of scoped) {
      const info = findTableInfo(snapshot, table.name);
      if (info !== undefined) infos.set(table.key, info);
    }
    const candidates = await seeder.tenants(snapshot.citus === null ? 2 : 8, [...infos.values()]);
    const a = candidates[0];
    // On Citus, A and B live on different workers when the data allows it, so
    // the proof crosses nodes (a missing SET propagation only shows there).
    const b = snapshot.citus === null ? candidates[1] : await tenantOnAnotherNode(client, model, candidates);
    if (a === undefined || b === undefined) throw new Error(`the tenant table ${model.tenant.tableName.name} needs two rows and none could be created`);
    const col = quoteIdent(model.tenant.column);
    const seedProblems = new Map<string, string>();
    const [open, keep, undo] = isolated ? ['BEGIN', 'COMMIT', 'ROLLBACK'] : ['SAVEPOINT rlsgen_seed', 'RELEASE SAVEPOINT rlsgen_seed', 'ROLLBACK TO SAVEPOINT rlsgen_seed'];
    for (const table of scoped) {
      const info = infos.get(table.key);
      if (info === undefined) continue;
      const name = quoteQualified(table.name.schema, table.name.name);
      const needs: (string | null)[] = [a, b];
      if (table.mode === 'shared') needs.push(null);
      if (table.legacyOwner !== null && !(info.columns.find((c) => c.name === model.tenant.column)?.notNull ?? true)) needs.push(null);
      for (const tenant of needs) {
        const where = tenant === null ? `${col} IS NULL` : `${col}::text = ${quoteLiteral(tenant)}`;
        const have = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} WHERE ${where}`);
        if (Number(have.rows[0]?.n) > 0) continue;
        await client.query(open);
        try {
          const fixed: Record<string, string> = {};
          if (tenant === null && table.legacyOwner !== null) {
            const owner = await client.query<{ o: string }>(`SELECT ${quoteIdent(table.legacyOwner)}::text AS o FROM ${name} WHERE ${quoteIdent(table.legacyOwner)} IS NOT NULL LIMIT 1`);
            if (owner.rows[0] !== undefined) fixed[table.legacyOwner] = quoteLiteral(owner.rows[0].o);
          }
          await seeder.insert(info, tenant, 0, undefined, fixed);
          await client.query(keep);
        } catch (error) {
          await client.query(undo);
          if (!isolated) await client.query('RELEASE SAVEPOINT rlsgen_seed');
          seedProblems.set(table.key, `could not create a row for ${tenant ?? 'no tenant'}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    // The unset probe on a connection that never set the variable, before anything sets it.
    const fresh = new Map<string, Outcome<number>>();
    for (const table of scoped) {
      const name = quoteQualified(table.name.schema, table.name.name);
      if (infos.has(table.key)) fresh.set(name, await proof.freshProbe(name, col));
    }
    const verdicts: TableVerdict[] = [];
    for (const table of model.tables) {
      if (table.mode === 'exempt') {
        verdicts.push({ table: table.key, mode: 'exempt', reason: table.reason, checks: [], seeded: 0 });
        continue;
      }
      const info = infos.get(table.key);
      const seeded = seeder.created.get(`${table.name.schema}.${table.name.name}`) ?? 0;
      if (info === undefined) {
        verdicts.push({ table: table.key, mode: table.mode, reason: null, seeded, checks: [fail('read-own', `table ${table.name.schema}.${table.name.name} does not exist in the database`)] });
        continue;
      }
      const checks = await proof.verifyTable(table, info, a, b, fresh);
      const problem = seedProblems.get(table.key);
      verdicts.push({ table: table.key, mode: table.mode, reason: null, seeded, checks: problem === undefined ? checks : [...checks, fail('read-own', `isolation not proven: ${problem}`)] });
    }
    const roleChecks = proof.roleChecks();
    const ok = roleChecks.every((c) => c.status !== 'fail') && verdicts.every((v) => v.checks.every((c) => c.status !== 'fail'));
    return { ok, tenants: [a, b], appRole: model.roles.app.name, roleChecks, tables: verdicts, serverVersion: rows[0]?.version ?? '' };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.query('RESET SESSION AUTHORIZATION').catch(() => undefined);
    // On Citus the seeded rows were committed: they are removed as the connecting superuser.
    if (isolated) await seeder.removeCreated();
  }
}
