import type pg from 'pg';
import { findTableInfo, type ColumnInfo, type DbSnapshot, type QualifiedName, type TableInfo } from '../introspect/snapshot.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';

/**
 * Creates rows the isolation proof needs when the data has none: for a given
 * tenant (or with a NULL tenant), filling every NOT NULL column without a
 * default, pointing foreign keys at rows of the same tenant (created too if
 * missing), and picking values that CHECK constraints of the form
 * `col = ANY (ARRAY[...])` or `col > n` accept. Runs as the connection's
 * (superuser) role inside the proof's transaction, which is rolled back.
 */
export class RowSeeder {
  readonly created = new Map<string, number>();
  /** Every row created, in order (rows created in one statement together), for removal where the proof cannot roll back. */
  private readonly rows: (readonly { readonly table: TableInfo; readonly column: string; readonly key: string }[])[] = [];

  constructor(
    private readonly client: pg.ClientBase,
    private readonly snapshot: DbSnapshot,
    private readonly tenantColumn: string,
    private readonly tenantTable: QualifiedName,
    private readonly tenantKey: string,
  ) {}

  private hasTenantColumn(table: TableInfo): boolean {
    return table.columns.some((c) => c.name === this.tenantColumn);
  }

  /** A value PostgreSQL accepts for the column, as SQL text. */
  private valueFor(table: TableInfo, column: ColumnInfo): string {
    for (const check of table.checks) {
      const anyOf = new RegExp(`\\(?${escape(quoteIdent(column.name))}\\)?(?:::\\w+)? = ANY \\(+ARRAY\\[('(?:[^']|'')*')`).exec(check.definition);
      if (anyOf?.[1] !== undefined) return `${anyOf[1]}::${column.type}`;
      const bound = new RegExp(`\\(${escape(quoteIdent(column.name))} (>|>=) \\(?(-?\\d+(?:\\.\\d+)?)`).exec(check.definition);
      if (bound?.[2] !== undefined) return String(Number(bound[2]) + 1);
    }
    if (column.enumLabels !== null && column.enumLabels.length > 0) return `${quoteLiteral(column.enumLabels[0] ?? '')}::${column.type}`;
    const type = column.type;
    if (type === 'uuid') return 'gen_random_uuid()';
    if (type === 'json' || type === 'jsonb') return `'{}'::${type}`;
    if (type === 'bytea') return "'\\x00'::bytea";
    if (type === 'tsvector' || type === 'tsquery') return `''::${type}`;
    const length = /\((\d+)\)$/.exec(type);
    switch (column.typeCategory) {
      case 'S':
        return `${quoteLiteral('rlsgen probe'.slice(0, length === null ? 12 : Math.max(1, Number(length[1]))))}::${type}`;
      case 'N':
        return `1::${type}`;
      case 'B':
        return 'false';
      case 'D':
        return `now()::${type}`;
      case 'T':
        return `'1 hour'::${type}`;
      case 'A':
        return `'{}'::${type}`;
      case 'I':
        return `'127.0.0.1'::${type}`;
      default:
        // format_type() output from the catalog: already valid, quoted SQL.
        return `NULL::${type}`;
    }
  }

  private async one<T extends object>(sql: string): Promise<T | undefined> {
    return (await this.client.query<T>(sql)).rows[0];
  }

  /** A key of an existing (or new) row of `table` for `tenant`, to point a foreign key at. */
  private async parentKey(parent: QualifiedName, column: string, tenant: string | null, depth: number): Promise<string | null> {
    const info = findTableInfo(this.snapshot, parent);
    if (info === undefined) return null;
    const name = quoteQualified(parent.schema, parent.name);
    const scopedToTenant = tenant !== null && this.hasTenantColumn(info);
    const isTenantTable = parent.schema === this.tenantTable.schema && parent.name === this.tenantTable.name;
    const where = isTenantTable && tenant !== null
      ? `WHERE ${quoteIdent(this.tenantKey)}::text = ${quoteLiteral(tenant)}`
      : scopedToTenant
        ? `WHERE ${quoteIdent(this.tenantColumn)}::text = ${quoteLiteral(tenant ?? '')}`
        : '';
    const row = await this.one<{ key: string }>(`SELECT ${quoteIdent(column)}::text AS key FROM ${name} ${where} ORDER BY 1 LIMIT 1`);
    if (row !== undefined) return row.key;
    if (depth > 4) return null;
    const created = await this.insert(info, scopedToTenant ? tenant : null, depth + 1, column);
    return created;
  }

  private isTenantTable(table: QualifiedName): boolean {
    return table.schema === this.tenantTable.schema && table.name === this.tenantTable.name;
  }

  /** Column values (SQL) for a new row of `table` owned by `tenant`: the tenant, `fixed`, parents found or created, NOT NULL columns filled. */
  private async rowValues(table: TableInfo, tenant: string | null, depth: number, fixed: Readonly<Record<string, string>>): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    // The tenant table's key may share the tenant column's name (store.store_id): its value is the new tenant's key, never NULL.
    if (this.hasTenantColumn(table) && !this.isTenantTable(table)) values.set(this.tenantColumn, tenant === null ? 'NULL' : quoteLiteral(tenant));
    for (const [column, value] of Object.entries(fixed)) values.set(column, value);
    for (const fk of table.foreignKeys) {
      const targets = fk.columns.filter((c) => c !== this.tenantColumn && !values.has(c));
      const needed = targets.some((c) => table.columns.find((col) => col.name === c)?.notNull === true);
      if (!needed || targets.length !== 1 || targets[0] === undefined) continue;
      const target = targets[0];
      const parentColumn = fk.referencedColumns[fk.columns.indexOf(target)] ?? '';
      const self = fk.references.schema === table.schema && fk.references.name === table.name;
      if (self) continue;
      const key = await this.parentKey(fk.references, parentColumn, tenant, depth);
      if (key !== null) values.set(target, quoteLiteral(key));
    }
    for (const column of table.columns) {
      if (values.has(column.name) || column.generated || column.identity || column.default !== null || !column.notNull) continue;
      values.set(column.name, this.valueFor(table, column));
    }
    return values;
  }

  private insertSql(table: TableInfo, values: ReadonlyMap<string, string>, returned: string): string {
    const columns = [...values.keys()];
    return columns.length === 0
      ? `INSERT INTO ${quoteQualified(table.schema, table.name)} DEFAULT VALUES ${returned}`
      : `INSERT INTO ${quoteQualified(table.schema, table.name)} (${columns.map(quoteIdent).join(', ')}) VALUES (${[...values.values()].join(', ')}) ${returned}`;
  }

  private count(table: TableInfo): void {
    const label = `${table.schema}.${table.name}`;
    this.created.set(label, (this.created.get(label) ?? 0) + 1);
  }

  /**
   * Inserts one row into `table` owned by `tenant` (NULL tenant when null)
   * and returns the text of `returning` for it.
   */
  async insert(table: TableInfo, tenant: string | null, depth = 0, returning?: string, fixed: Readonly<Record<string, string>> = {}): Promise<string | null> {
    const values = await this.rowValues(table, tenant, depth, fixed);
    const key = returning ?? table.primaryKey?.[0] ?? this.tenantColumn;
    const pk = this.rowKey(table, key);
    const row = await this.one<{ key: string; pk: string }>(this.insertSql(table, values, `RETURNING ${quoteIdent(key)}::text AS key, ${quoteIdent(pk)}::text AS pk`));
    if (row !== undefined) this.rows.push([{ table, column: pk, key: row.pk }]);
    this.count(table);
    return row?.key ?? null;
  }

  private rowKey(table: TableInfo, fallback: string): string {
    return table.primaryKey?.find((c) => c !== this.tenantColumn || this.isTenantTable(table)) ?? fallback;
  }

  /**
   * A new tenant: its key is drawn first (from the key's default, else
   * generated), so that rows of scoped tables the tenant row itself must
   * reference (a store's manager is one of its staff) are created for that
   * tenant in the same statement; foreign keys are checked at the end of it.
   */
  private async insertTenant(table: TableInfo): Promise<string | null> {
    const keyColumn = table.columns.find((c) => c.name === this.tenantKey);
    if (keyColumn === undefined) return null;
    // The default is pg_get_expr() output from the catalog: SQL to evaluate, like the column would.
    const drawn = keyColumn.default !== null
      ? `SELECT (${keyColumn.default})::text AS key`
      : keyColumn.identity
        ? `SELECT nextval(pg_get_serial_sequence(${quoteLiteral(quoteQualified(table.schema, table.name))}, ${quoteLiteral(keyColumn.name)}))::text AS key`
        : keyColumn.type === 'uuid'
          ? 'SELECT gen_random_uuid()::text AS key'
          : `SELECT (coalesce(max(${quoteIdent(keyColumn.name)}::text::numeric), 0) + 1 + floor(random() * 1000000))::text AS key FROM ${quoteQualified(table.schema, table.name)}`;
    const key = (await this.one<{ key: string }>(drawn))?.key;
    if (key === undefined) return null;
    const fixed: Record<string, string> = { [this.tenantKey]: `${quoteLiteral(key)}::${keyColumn.type}` };
    const ctes: string[] = [];
    const together: { table: TableInfo; column: string; alias: string }[] = [];
    for (const fk of table.foreignKeys) {
      const column = fk.columns.length === 1 ? fk.columns[0] : undefined;
      const parent = findTableInfo(this.snapshot, fk.references);
      if (column === undefined || parent === undefined || this.isTenantTable(parent) || !this.hasTenantColumn(parent)) continue;
      if (table.columns.find((c) => c.name === column)?.notNull !== true) continue;
      const alias = `rlsgen_row${ctes.length + 1}`;
      const pk = this.rowKey(parent, fk.referencedColumns[0] ?? '');
      const values = await this.rowValues(parent, key, 1, {});
      ctes.push(`${alias} AS (${this.insertSql(parent, values, `RETURNING ${quoteIdent(fk.referencedColumns[0] ?? '')} AS ref, ${quoteIdent(pk)}::text AS pk`)})`);
      fixed[column] = `(SELECT ref FROM ${alias})`;
      together.push({ table: parent, column: pk, alias });
    }
    const values = await this.rowValues(table, null, 0, fixed);
    const pks = together.map((t) => `(SELECT pk FROM ${t.alias}) AS ${quoteIdent(t.alias)}`);
    const returned = `RETURNING ${quoteIdent(this.tenantKey)}::text AS key${pks.length === 0 ? '' : `, ${pks.join(', ')}`}`;
    const sql = `${ctes.length === 0 ? '' : `WITH ${ctes.join(', ')} `}${this.insertSql(table, values, returned)}`;
    const row = await this.one<Record<string, string>>(sql);
    if (row?.['key'] === undefined) return null;
    this.rows.push([{ table, column: this.tenantKey, key: row['key'] }, ...together.map((t) => ({ table: t.table, column: t.column, key: row[t.alias] ?? '' }))]);
    this.count(table);
    for (const t of together) this.count(t.table);
    return row['key'];
  }

  /** Deletes every row this seeder created, newest first (children before their parents; rows created together, together). */
  async removeCreated(): Promise<void> {
    for (const group of [...this.rows].reverse()) {
      // A row that cannot be removed is an error, never left behind quietly. One statement: foreign keys are checked at its end.
      const deletes = group.map(({ table, column }, i) => `DELETE FROM ${quoteQualified(table.schema, table.name)} WHERE ${quoteIdent(column)}::text = $${i + 1}`);
      const last = deletes.pop() ?? '';
      const sql = deletes.length === 0 ? last : `WITH ${deletes.map((d, i) => `d${i} AS (${d} RETURNING 1)`).join(', ')} ${last}`;
      await this.client.query(sql, group.map((r) => r.key));
    }
    this.rows.length = 0;
  }

  /** Makes sure the tenant table holds at least `count` tenants; returns their keys, those with the most rows first. */
  async tenants(count: number, scopedTables: readonly TableInfo[]): Promise<string[]> {
    const name = quoteQualified(this.tenantTable.schema, this.tenantTable.name);
    const key = quoteIdent(this.tenantKey);
    const owners = scopedTables
      .filter((t) => this.hasTenantColumn(t))
      .map((t) => `SELECT ${quoteIdent(this.tenantColumn)}::text AS tenant FROM ${quoteQualified(t.schema, t.name)}`);
    const ranking = owners.length === 0 ? 'SELECT NULL::text AS tenant WHERE false' : owners.join(' UNION ALL ');
    const { rows } = await this.client.query<{ tenant: string }>(
      `SELECT c.${key}::text AS tenant FROM ${name} AS c LEFT JOIN (${ranking}) AS r ON r.tenant = c.${key}::text
        GROUP BY c.${key} ORDER BY count(r.tenant) DESC, c.${key}::text LIMIT ${count}`,
    );
    const keys = rows.map((r) => r.tenant);
    const info = findTableInfo(this.snapshot, this.tenantTable);
    while (keys.length < count && info !== undefined) {
      const created = await this.insertTenant(info);
      if (created === null) break;
      keys.push(created);
    }
    return keys;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
