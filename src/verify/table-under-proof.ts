import { randomUUID } from 'node:crypto';
import type { TableInfo } from '../introspect/snapshot.js';
import type { TableModel } from '../manifest/model.js';
import type { Outcome } from './check.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';
import type { ProbeSession } from './probe-session.js';
import { settableColumn } from './settable-column.js';

/**
 * One scoped table as the table probes see it: its quoted names, the two
 * tenants A and B, counts taken as the superuser (what each tenant owns),
 * and the statements several probes share. Counts are taken once, on first
 * use.
 */
export class TableUnderProof {
  /** The table, quoted and qualified. */
  readonly name: string;
  /** The tenant column, quoted. */
  readonly col: string;
  /** The primary key column, quoted. */
  readonly key: string;
  readonly shared: boolean;
  private readonly counts = new Map<string, Promise<number>>();
  private readonly settables = new Map<string, Promise<string>>();

  constructor(
    readonly session: ProbeSession,
    readonly table: TableModel,
    readonly info: TableInfo,
    /** Tenant A, as whom the probes act, and B, whose rows A must not reach. */
    readonly a: string,
    readonly b: string,
  ) {
    this.name = quoteQualified(table.name.schema, table.name.name);
    this.col = quoteIdent(session.model.tenant.column);
    this.key = quoteIdent(table.primaryKey);
    this.shared = table.mode === 'shared';
  }

  /** The quoted column `role` may set to itself in this table's UPDATE probes ({@link settableColumn}), read once per role. */
  settableFor(role: string): Promise<string> {
    let found = this.settables.get(role);
    if (found === undefined) {
      found = settableColumn(this.session.client, this.name, this.session.actingRole(role), this.table.primaryKey, this.session.model.tenant.column).then(quoteIdent);
      this.settables.set(role, found);
    }
    return found;
  }

  lit(value: string): string {
    return quoteLiteral(value);
  }

  /** Rows A may see that are not A's: another tenant's (a shared table's global rows are A's to see). */
  otherThan(tenant: string, alias = ''): string {
    const c = `${alias}${this.col}`;
    return `${c} IS DISTINCT FROM ${quoteLiteral(tenant)}${this.shared ? ` AND ${c} IS NOT NULL` : ''}`;
  }

  /** `SELECT count(*)` of the rows with a tenant: what must stay invisible without one. */
  get visibleSql(): string {
    return `SELECT count(*) AS n FROM ${this.name} WHERE ${this.col} IS NOT NULL`;
  }

  /** A count taken as the connecting superuser, once. */
  private superCount(label: string, sql: string): Promise<number> {
    let found = this.counts.get(label);
    if (found === undefined) {
      found = this.session.count(sql);
      this.counts.set(label, found);
    }
    return found;
  }

  /** Rows the tenant owns (and, in a shared table, the global rows it sees). */
  expectedOf(tenant: string): Promise<number> {
    return this.superCount(`own:${tenant}`, `SELECT count(*) AS n FROM ${this.name} WHERE ${this.col}::text = ${quoteLiteral(tenant)}${this.shared ? ` OR ${this.col} IS NULL` : ''}`);
  }

  /** Rows carrying exactly this tenant. */
  tenantRows(tenant: string): Promise<number> {
    return this.superCount(`exact:${tenant}`, `SELECT count(*) AS n FROM ${this.name} WHERE ${this.col}::text = ${quoteLiteral(tenant)}`);
  }

  globals(): Promise<number> {
    return this.superCount('globals', `SELECT count(*) AS n FROM ${this.name} WHERE ${this.col} IS NULL`);
  }

  total(): Promise<number> {
    return this.superCount('total', `SELECT count(*) AS n FROM ${this.name}`);
  }

  /** A tenant id of the tenant type that no row of the table carries: whatever a statement as that tenant changes is another tenant's. */
  async tenantWithoutRows(): Promise<string> {
    const type = this.session.model.tenant.type;
    if (type === 'uuid') return randomUUID();
    if (type === 'text') return `rlsgen-probe-${randomUUID()}`;
    const { rows } = await this.session.client.query<{ k: string }>(`SELECT (COALESCE(max(${this.col}), 0) + 1)::text AS k FROM ${this.name}`);
    return rows[0]?.k ?? '1';
  }

  /** As tenant `as` (null: variable unset), inserts a copy of a row of `from` (null: a global row) with a new key. Null when there is no row to copy. */
  async insertCopy(as: string | null, from: string | null): Promise<Outcome<string> | null> {
    const s = this.session;
    const row = await s.rowOf(this.name, this.info, from);
    if (row === null) return null;
    const sql = s.insertValues(this.name, this.info, { ...row, [this.table.primaryKey]: await s.freshKey(this.name, this.info, this.table.primaryKey) });
    const outcome = await s.asApp(as ?? undefined, () => s.client.query(sql));
    return outcome.ok ? { ok: true, value: s.reproduce(as, sql) } : outcome;
  }
}
