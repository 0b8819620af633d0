import type pg from 'pg';
import { type DbSnapshot, findTableInfo, qualified } from '../introspect/snapshot.js';
import { type BackfillPath, type ForeignKey, hasTenantColumn, isScoped, type Model, tableByKey, type TableModel } from '../manifest/model.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import { eventualTenantSql } from './eventual-tenant.js';

/** How many rows, and the primary keys of the first of them (in key order). */
export interface RowSample {
  readonly count: number;
  readonly keys: readonly string[];
}

/** What one candidate derivation path gives the rows that have no tenant yet. */
export interface PathSupport {
  /** `customer_id -> customers`, as the manifest writes it. */
  readonly path: string;
  readonly hops: BackfillPath;
  /** Whether the manifest's backfill uses it. */
  readonly inManifest: boolean;
  /** Rows it resolves to a tenant. */
  readonly resolves: number;
  /** Rows it resolves to another tenant than the manifest's backfill does. */
  readonly disagrees: number;
}

/** Rows a composite `(tenant, column)` foreign key would reject: the referenced row is another tenant's, or has none. */
export interface ForeignKeyRejection extends RowSample {
  readonly column: string;
  readonly parent: string;
}

export interface TableConsistency {
  /** `schema.table` */
  readonly table: string;
  /** The table's manifest key. */
  readonly key: string;
  readonly primaryKey: string;
  readonly rows: number;
  /** Rows without a tenant today (every row when the table has no tenant column yet). */
  readonly toFill: number;
  readonly paths: readonly PathSupport[];
  /** Rows to fill where two candidate paths name different tenants. */
  readonly disagreements: RowSample;
  /** Rows the manifest's backfill leaves without a tenant. */
  readonly unresolved: RowSample;
  readonly rejected: readonly ForeignKeyRejection[];
  /** The enforce stage's NOT NULL would fail: rows stay unresolved in a table that requires a tenant on every row. */
  readonly notNullFails: boolean;
}

export interface ConsistencyReport {
  readonly tables: readonly TableConsistency[];
  /** The enforce stage is known to fail on today's data (a composite key or NOT NULL). */
  readonly enforceFails: boolean;
}

/** `column -> table` or `column -> table(column)` for a match on another column than the table's key. */
export function pathText(model: Model, path: BackfillPath): string {
  return path.map((hop) => `${hop.column} -> ${hop.table}${hop.match === tableByKey(model, hop.table).primaryKey ? '' : `(${hop.match})`}`).join(', ');
}

const samePath = (a: BackfillPath, b: BackfillPath): boolean =>
  a.length === b.length && a.every((hop, i) => hop.column === b[i]?.column && hop.table === b[i]?.table && hop.match === b[i]?.match);

/**
 * Every derivation a table's data could take: the manifest's paths, then each
 * foreign key to a table that has (or gets) the tenant column.
 */
export function candidatePaths(model: Model, table: TableModel): { path: BackfillPath; inManifest: boolean }[] {
  const out = table.backfill.map((path) => ({ path, inManifest: true }));
  for (const fk of table.foreignKeys) {
    const target = tableByKey(model, fk.table);
    if (fk.table === model.tenant.table || fk.table === table.key || !hasTenantColumn(target)) continue;
    const path: BackfillPath = [{ column: fk.column, table: fk.table, match: fk.references, viaForeignKey: true }];
    if (!out.some((c) => samePath(c.path, path))) out.push({ path, inManifest: false });
  }
  return out;
}

const rejectingKeys = (model: Model, table: TableModel): ForeignKey[] =>
  table.foreignKeys.filter((fk) => fk.composite && isScoped(tableByKey(model, fk.table)) && fk.table !== model.tenant.table);

/**
 * `rlsgen audit` and `rlsgen init`, before anything is applied: evaluates
 * every candidate derivation path of every scoped table against the data
 * (one set-based query per table) and reports the rows where paths disagree,
 * the rows the manifest leaves without a tenant, and the references each
 * composite foreign key would reject, with up to `limit` primary keys each.
 */
export async function checkPathConsistency(client: pg.ClientBase, model: Model, snapshot: DbSnapshot, options: { limit?: number } = {}): Promise<ConsistencyReport> {
  const limit = Math.max(0, options.limit ?? 10);
  const tables: TableConsistency[] = [];
  for (const table of model.tables) {
    if (!isScoped(table) || table.key === model.tenant.table) continue;
    const info = findTableInfo(snapshot, table.name);
    if (info === undefined || !info.columns.some((c) => c.name === table.primaryKey)) continue;
    tables.push(await checkTableConsistency(client, model, snapshot, table, limit));
  }
  const enforceFails = tables.some((t) => t.notNullFails || t.rejected.some((r) => r.count > 0));
  return { tables, enforceFails };
}

interface TableRow {
  rows: string;
  to_fill: string;
  unresolved: string;
  unresolved_keys: string[] | null;
  disagree: string;
  disagree_keys: string[] | null;
  [column: string]: unknown;
}

/** The consistency of one scoped table's data with the model, in one query. */
export async function checkTableConsistency(client: pg.ClientBase, model: Model, snapshot: DbSnapshot, table: TableModel, limit: number): Promise<TableConsistency> {
  const info = findTableInfo(snapshot, table.name);
  const own = info?.columns.some((c) => c.name === model.tenant.column) === true ? `t.${quoteIdent(model.tenant.column)}` : 'NULL';
  const candidates = candidatePaths(model, table);
  const keys = rejectingKeys(model, table);
  const withPaths: Model = { ...model, tables: model.tables.map((m) => (m.key === table.key ? { ...m, backfill: [] } : m)) };
  let scratch = 0;
  const candidateSql = candidates.map(({ path }) => {
    // The candidate alone, as if it were the table's only backfill path.
    const probe: Model = { ...withPaths, tables: withPaths.tables.map((m) => (m.key === table.key ? { ...m, existingColumn: null, backfill: [path] } : m)) };
    return eventualTenantSql(probe, snapshot, table.key, 't', `c${++scratch}_`);
  });
  const parentSql = keys.map((fk) => {
    const parent = tableByKey(model, fk.table);
    const alias = `p${++scratch}`;
    return `(SELECT ${eventualTenantSql(model, snapshot, parent.key, alias, `${alias}_`)} FROM ${quoteQualified(parent.name.schema, parent.name.name)} AS ${alias} WHERE ${alias}.${quoteIdent(fk.references)} = t.${quoteIdent(fk.column)} LIMIT 1)`;
  });
  const inner = [
    `t.${quoteIdent(table.primaryKey)} AS o`,
    `t.${quoteIdent(table.primaryKey)}::text AS k`,
    `${own}::text AS own`,
    `${eventualTenantSql(model, snapshot, table.key, 't')}::text AS tenant`,
    ...candidateSql.map((sql, i) => `${sql}::text AS c${i}`),
    ...parentSql.map((sql, i) => `${sql}::text AS f${i}`),
    ...keys.map((fk, i) => `t.${quoteIdent(fk.column)} IS NOT NULL AS r${i}`),
  ];
  const sample = (condition: string): string => `(array_agg(k ORDER BY o) FILTER (WHERE ${condition}))[1:${limit}]`;
  const disagree = candidates.length < 2 ? 'false' : `own IS NULL AND (SELECT count(DISTINCT v) FROM unnest(ARRAY[${candidates.map((_, i) => `c${i}`).join(', ')}]) AS v) > 1`;
  const rejectedIf = (i: number): string => `r${i} AND tenant IS NOT NULL AND f${i} IS DISTINCT FROM tenant`;
  const outer = [
    'count(*) AS rows',
    'count(*) FILTER (WHERE own IS NULL) AS to_fill',
    'count(*) FILTER (WHERE tenant IS NULL) AS unresolved',
    `${sample('tenant IS NULL')} AS unresolved_keys`,
    `count(*) FILTER (WHERE ${disagree}) AS disagree`,
    `${sample(disagree)} AS disagree_keys`,
    ...candidates.flatMap((_, i) => [
      `count(*) FILTER (WHERE own IS NULL AND c${i} IS NOT NULL) AS resolves${i}`,
      `count(*) FILTER (WHERE own IS NULL AND c${i} IS NOT NULL AND tenant IS NOT NULL AND c${i} <> tenant) AS disagrees${i}`,
    ]),
    ...keys.flatMap((_, i) => [`count(*) FILTER (WHERE ${rejectedIf(i)}) AS rejected${i}`, `${sample(rejectedIf(i))} AS rejected_keys${i}`]),
  ];
  const sql = `SELECT ${outer.join(',\n  ')}\nFROM (SELECT ${inner.join(',\n    ')}\n  FROM ${quoteQualified(table.name.schema, table.name.name)} AS t) AS r`;
  const row = (await client.query<TableRow>(sql)).rows[0];
  const n = (value: unknown): number => Number(value ?? 0);
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const unresolved = n(row?.unresolved);
  return {
    table: qualified(table.name),
    key: table.key,
    primaryKey: table.primaryKey,
    rows: n(row?.rows),
    toFill: n(row?.to_fill),
    paths: candidates.map((c, i) => ({ path: pathText(model, c.path), hops: c.path, inManifest: c.inManifest, resolves: n(row?.[`resolves${i}`]), disagrees: n(row?.[`disagrees${i}`]) })),
    disagreements: { count: n(row?.disagree), keys: list(row?.disagree_keys) },
    unresolved: { count: unresolved, keys: list(row?.unresolved_keys) },
    rejected: keys.map((fk, i) => ({ column: fk.column, parent: qualified(tableByKey(model, fk.table).name), count: n(row?.[`rejected${i}`]), keys: list(row?.[`rejected_keys${i}`]) })),
    notNullFails: unresolved > 0 && table.mode === 'tenant' && table.unresolved === 'fail',
  };
}
