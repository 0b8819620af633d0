import { type DbSnapshot, findTableInfo, type ForeignKeyInfo, type FunctionInfo, type QualifiedName, qualified, type TableInfo, type ViewInfo } from './snapshot.js';

/** What makes rows tenant rows: the manifest's scoped tables, the tenant column, the tenant table. */
export interface TenantScope {
  readonly tenantColumn: string;
  /** The tenant table (`companies`), whose rows are the tenants themselves; null when unknown. */
  readonly tenantTable: QualifiedName | null;
  /** Tables whose rows the policies scope (tenant and shared tables of the manifest). */
  readonly scoped: readonly QualifiedName[];
}

/** One foreign key followed from `from` to `to`. */
export interface ForeignKeyHop {
  readonly from: TableInfo;
  readonly foreignKey: ForeignKeyInfo;
  readonly to: TableInfo;
}

const same = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a function body names the table: qualified, or bare when its schema is on the function's search path. */
function mentions(source: string, schema: string, name: string, bareVisible: boolean): boolean {
  const part = (n: string): string => `(?:"${escape(n)}"|${escape(n)})`;
  if (new RegExp(`${part(schema)}\\s*\\.\\s*${part(name)}\\b`).test(source)) return true;
  return bareVisible && new RegExp(`(?:^|[^.\\w"])${part(name)}\\b`).test(source);
}

/**
 * Which tables, views and functions hold or read tenant rows, from the
 * catalog snapshot and the manifest's scope. Pure. Shared by lint and
 * verify, so both call the same objects tenant data.
 */
export class TenantData {
  constructor(
    readonly snapshot: DbSnapshot,
    readonly scope: TenantScope,
  ) {}

  isScoped(name: QualifiedName): boolean {
    return this.scope.scoped.some((s) => same(s, name));
  }

  isTenantTable(name: QualifiedName): boolean {
    return this.scope.tenantTable !== null && same(this.scope.tenantTable, name);
  }

  hasTenantColumn(table: TableInfo): boolean {
    return table.columns.some((c) => c.name === this.scope.tenantColumn);
  }

  /**
   * The nearest scoped table above a partition or inheritance child, at any
   * depth (a sub-partition's parent is itself a partition): the table whose
   * policies the child must carry. Undefined when no ancestor is scoped.
   */
  scopedAncestor(table: TableInfo): TableInfo | undefined {
    const seen = new Set([qualified(table)]);
    let parent = table.parent === null ? undefined : findTableInfo(this.snapshot, table.parent);
    while (parent !== undefined && !seen.has(qualified(parent))) {
      if (this.isScoped(parent)) return parent;
      seen.add(qualified(parent));
      parent = parent.parent === null ? undefined : findTableInfo(this.snapshot, parent.parent);
    }
    return undefined;
  }

  /** Its rows are tenant rows by themselves: scoped, carrying the tenant column, or the tenant table's rows (the tenants). */
  ownsTenantRows(table: TableInfo): boolean {
    return this.isScoped(table) || this.hasTenantColumn(table) || this.isTenantTable(table);
  }

  /**
   * The shortest chain of foreign keys from `table` to a table whose rows are
   * tenant rows (`sessions -> users`): the table's rows belong to a tenant
   * through it. Null when there is none (or the table owns tenant rows itself).
   */
  pathToTenantRows(table: TableInfo): readonly ForeignKeyHop[] | null {
    if (this.ownsTenantRows(table)) return null;
    const queue: { at: TableInfo; path: ForeignKeyHop[] }[] = [{ at: table, path: [] }];
    const seen = new Set([qualified(table)]);
    while (queue.length > 0) {
      const { at, path } = queue.shift() as { at: TableInfo; path: ForeignKeyHop[] };
      if (path.length >= 4) continue;
      for (const foreignKey of [...at.foreignKeys].sort((a, b) => a.name.localeCompare(b.name))) {
        const to = findTableInfo(this.snapshot, foreignKey.references);
        if (to === undefined || seen.has(qualified(to))) continue;
        const next = [...path, { from: at, foreignKey, to }];
        if (this.ownsTenantRows(to)) return next;
        seen.add(qualified(to));
        queue.push({ at: to, path: next });
      }
    }
    return null;
  }

  /** Tables with tenant rows whose foreign keys point at `table`. */
  referencedBy(table: TableInfo): TableInfo[] {
    return this.snapshot.tables.filter((t) => !same(t, table) && this.ownsTenantRows(t) && t.foreignKeys.some((fk) => same(fk.references, table)));
  }

  /** The scoped tables a view reads, directly or through the views it reads. */
  viewReads(view: ViewInfo): TableInfo[] {
    return this.viewSources(view).filter((t) => this.isScoped(t));
  }

  /**
   * Tables with tenant rows a view reads, directly or through the views it
   * reads, that no policy scopes: exempt tables with the tenant column, the
   * tenant table. Through a view that is not security_invoker they reach
   * whoever may read the view, whatever that role may read itself.
   */
  viewReadsUnscoped(view: ViewInfo): TableInfo[] {
    return this.viewSources(view).filter((t) => !this.isScoped(t) && this.ownsTenantRows(t));
  }

  private viewSources(view: ViewInfo): TableInfo[] {
    const out = new Map<string, TableInfo>();
    const seen = new Set<string>();
    const visit = (v: ViewInfo): void => {
      if (seen.has(qualified(v))) return;
      seen.add(qualified(v));
      for (const read of v.reads) {
        const table = findTableInfo(this.snapshot, read);
        if (table !== undefined) out.set(qualified(table), table);
        const inner = this.snapshot.views.find((x) => same(x, read));
        // A security_invoker view runs its query with the rights of whoever
        // reads it: through another view, that view's owner.
        if (inner !== undefined) visit(inner);
      }
    };
    visit(view);
    return [...out.values()];
  }

  /**
   * The tables with tenant rows a function's body names (qualified, or bare
   * when its schema is on the function's search path): scoped ones, exempt
   * ones with the tenant column, the tenant table.
   */
  functionReads(fn: FunctionInfo): TableInfo[] {
    const visible = new Set(['public', ...(fn.searchPath ?? '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''))]);
    return this.snapshot.tables.filter((t) => this.ownsTenantRows(t) && mentions(fn.source, t.schema, t.name, visible.has(t.schema)));
  }
}
