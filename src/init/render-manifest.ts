import type { QualifiedName } from '../introspect/snapshot.js';
import type { Proposal, ProposedForeignKey, ProposedHop, ProposedPartition, ProposedTable } from './propose-manifest.js';

/** Rows of a table as the database holds them now, for the comments and the `unresolved` choice. */
export interface TableCounts {
  /** Rows without a tenant (all rows when the table has no tenant column yet). */
  readonly missing: number;
  /** Of those, rows the proposed path does not resolve. */
  readonly unresolved: number;
}

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** A name in the manifest's reference syntax: bare when simple, double-quoted otherwise. */
function refName(name: string): string {
  return SIMPLE.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** How the manifest refers to a table: its key. */
export function tableKey(name: QualifiedName): string {
  return name.schema === 'public' ? name.name : `${name.schema}.${name.name}`;
}

function tableRef(name: QualifiedName): string {
  return name.schema === 'public' ? refName(name.name) : `${refName(name.schema)}.${refName(name.name)}`;
}

function yamlString(text: string): string {
  return /^[A-Za-z_][A-Za-z0-9_ .,()>$-]*$/.test(text) && !text.includes(': ') && !text.endsWith(' ') ? text : JSON.stringify(text);
}

/**
 * A table's name as a key the manifest reads back to the same table: a key
 * without a dot is a table of `schema` taken literally (spaces and quotes
 * included); one with a dot is a reference, so a schema other than
 * `schema`, or a dot inside the name, is written in reference syntax.
 */
function nameKey(name: QualifiedName, schema: string): string {
  if (name.schema === schema) return name.name.includes('.') ? refName(name.name) : name.name;
  return `${refName(name.schema)}.${refName(name.name)}`;
}

/** `text` as a YAML scalar: plain when YAML reads it back unchanged, double-quoted (JSON) otherwise. */
function yamlScalar(text: string): string {
  // Inner spaces and hyphens are plain YAML (`calls 2025:`); ` #` would start a comment, a trailing space would be dropped.
  return /^[A-Za-z_][A-Za-z0-9_.$ -]*$/.test(text) && !text.endsWith(' ') && !text.includes(' #') ? text : JSON.stringify(text);
}

const yamlKey = (name: QualifiedName): string => yamlScalar(nameKey(name, 'public'));

const hopText = (hop: ProposedHop): string => `${refName(hop.column)} -> ${tableRef(hop.table)}${hop.matchIsKey ? '' : `(${refName(hop.match)})`}`;

function pathYaml(path: readonly ProposedHop[]): string {
  const hops = path.map(hopText);
  return hops.length === 1 ? yamlString(hops[0] ?? '') : `[${hops.map(yamlString).join(', ')}]`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const ACTION: Record<string, string> = { 'no action': 'no_action', restrict: 'restrict', cascade: 'cascade', 'set null': 'set_null', 'set default': 'set_default' };

/** `column: table` for a plain key; the mapping with its actions, deferral and MATCH otherwise, as the database has them. */
function foreignKeyYaml(fk: ProposedForeignKey, compositeTarget: boolean): string {
  const target = `${tableRef(fk.table)}${fk.referencesKey ? '' : `(${refName(fk.references)})`}`;
  const name = SIMPLE.test(fk.column) ? fk.column : JSON.stringify(fk.column);
  const parts: string[] = [];
  const onDelete = ACTION[fk.onDelete] ?? 'no_action';
  const onUpdate = ACTION[fk.onUpdate] ?? 'no_action';
  if (onDelete !== 'no_action') parts.push(`on_delete: ${onDelete}`);
  if (onUpdate !== 'no_action') parts.push(`on_update: ${onUpdate}`);
  if (fk.initiallyDeferred) parts.push('initially_deferred: true');
  if (fk.deferrable) parts.push('deferrable: true');
  if (fk.match === 'full') parts.push('match: full');
  const keepsNoUpdateAction = compositeTarget && (onUpdate === 'set_null' || onUpdate === 'set_default');
  if (keepsNoUpdateAction) parts.push('composite: false');
  const line = parts.length === 0 ? `      ${name}: ${yamlString(target)}` : `      ${name}: { references: ${yamlString(target)}, ${parts.join(', ')} }`;
  return keepsNoUpdateAction ? `${line}  # review: a composite (tenant, column) key cannot keep ON UPDATE ${fk.onUpdate.toUpperCase()} (it would change the tenant too)` : line;
}

const partitionKeyYaml = (name: QualifiedName, parent: QualifiedName): string => yamlScalar(nameKey(name, parent.schema));

/** `partitions:` with sub-partitions nested, or `children:`. */
function partitionsYaml(table: ProposedTable): string[] {
  if (table.partitioning === 'none') return [];
  const root: QualifiedName = table.name;
  const under = (parent: QualifiedName): ProposedPartition[] => table.partitions.filter((p) => p.parent.schema === parent.schema && p.parent.name === parent.name);
  if (table.partitioning === 'inheritance') {
    return [`    children: [${table.partitions.map((p) => partitionKeyYaml(p.name, root)).join(', ')}]  # inheritance children: each gets the column, index, keys and policies`];
  }
  const out = table.partitionKey.length > 0 ? [`    partition_key: [${table.partitionKey.map(yamlScalar).join(', ')}]  # every unique index of a partitioned table must include it`] : [];
  out.push('    partitions:  # every partition gets the policies: a query on a partition by name bypasses the parent\'s');
  const walk = (parent: QualifiedName, depth: number): void => {
    for (const p of under(parent)) {
      const key = partitionKeyYaml(p.name, root);
      if (!p.partitioned) out.push(`${'  '.repeat(depth + 3)}${key}:`);
      else {
        out.push(`${'  '.repeat(depth + 3)}${key}:`);
        out.push(`${'  '.repeat(depth + 4)}partitions:`);
        walk(p.name, depth + 2);
      }
    }
  };
  walk(root, 0);
  return out;
}

/** What init decided for a table from its data. */
export interface Decision {
  /** The backfill paths the data supports best (`first_of` when several); null: the proposal's path. */
  readonly paths: readonly (readonly ProposedHop[])[] | null;
  /** Comment lines: what the data says of the paths. */
  readonly notes: readonly string[];
}

export interface RenderOptions {
  readonly appRole: string;
  readonly crossRole: string;
  /** `tenant.setting`: the session variable the policies read. */
  readonly setting?: string;
  readonly counts: ReadonlyMap<string, TableCounts>;
  /** By table key. */
  readonly decisions?: ReadonlyMap<string, Decision>;
  /** Lookup tables the data shows per tenant (src/init/shared-lookups.ts), by table key: proposed as mode: shared. */
  readonly shared?: ReadonlyMap<string, { readonly referenced: number; readonly readers: readonly QualifiedName[] }>;
}

const sameName = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;

/**
 * The catalogue: exempt tables that scoped tables reference, and the exempt
 * tables connected to those by foreign keys (a film's language, a product's
 * category). The application reads them; by default it writes none.
 */
function catalogueTables(proposal: Proposal): Set<string> {
  const exempt = proposal.tables.filter((t) => t.mode === 'exempt' && !sameName(t.name, proposal.tenantTable));
  const found = new Set(exempt.filter((t) => t.referencedBy.length > 0).map((t) => tableKey(t.name)));
  for (let grown = true; grown; ) {
    grown = false;
    for (const t of exempt) {
      if (found.has(tableKey(t.name))) continue;
      const linked = t.foreignKeys.some((fk) => found.has(tableKey(fk.table))) || exempt.some((o) => found.has(tableKey(o.name)) && o.foreignKeys.some((fk) => sameName(fk.table, t.name)));
      if (linked) {
        found.add(tableKey(t.name));
        grown = true;
      }
    }
  }
  return found;
}

const NO_RELATION_REVIEW = (column: string): string[] => [
  `    # review: exempt (as written): no ${column}; the application role gets no access to it, and nothing isolates its rows`,
  `    #   or mode: shared: it gets a nullable ${column}; rows left NULL are global (every tenant reads them, none writes them), rows with a tenant are that tenant's`,
];

/** The manifest text, each decision with a one-line comment saying why. Pure. */
export function renderManifest(proposal: Proposal, options: RenderOptions): string {
  const column = proposal.tenantColumn;
  const lines: string[] = [
    '# yaml-language-server: $schema=./node_modules/rlsgen/schema/policies.schema.json',
    '#',
    '# Proposed by `rlsgen init` from the database catalog. Review every decision',
    '# (each has its reason in a comment), then run `rlsgen generate`.',
    'version: 1',
    '',
    'tenant:',
    `  column: ${yamlString(column)}`,
    `  type: ${proposal.tenantType}`,
    `  references: ${yamlString(`${tableRef(proposal.tenantTable)}(${refName(proposal.tenantKey)})`)}`,
    `  setting: ${yamlString(options.setting ?? 'app.company_id')}`,
    '',
    'roles:',
    '  app:',
    `    name: ${yamlString(options.appRole)}  # the role the application connects as (directly or by membership)`,
    '  cross_tenant:',
    `    name: ${yamlString(options.crossRole)}  # reads every tenant, through its own login; sees rows kept without a tenant`,
    '    write: false',
    '',
    'tables:',
  ];
  const modes = new Map(proposal.tables.map((t) => [tableKey(t.name), t.mode]));
  const catalogue = catalogueTables(proposal);
  const entry = (table: ProposedTable): string[] => {
    const out: string[] = [];
    const counts = options.counts.get(tableKey(table.name));
    const key = yamlKey(table.name);
    if (tableKey(table.name) === tableKey(proposal.tenantTable)) {
      out.push(`  ${key}:  # the tenant table: each tenant reads its own row, ${options.crossRole} every row`);
      out.push('    commands: [select]');
      return out;
    }
    const shared = options.shared?.get(tableKey(table.name));
    if (table.mode === 'exempt' && shared !== undefined) {
      const by = shared.readers.map(tableRef).join(', ');
      out.push(`  ${key}:  # lookup table referenced by ${by}; each of its ${plural(shared.referenced, 'referenced row')} is referenced from one tenant only: per-tenant rows beside global ones`);
      out.push('    mode: shared');
      out.push('    commands: [select]');
      out.push(`    # review: today's rows stay global (NULL ${column}: every tenant reads them) until the DBA gives one its tenant; drop commands to let each tenant write its own`);
      out.push(`    #   or mode: exempt, commands: [select] if it is one list for every tenant`);
      return out;
    }
    if (table.mode === 'exempt') {
      out.push(`  ${key}:`);
      out.push('    mode: exempt');
      if (catalogue.has(tableKey(table.name))) {
        const readers = table.referencedBy.map(tableRef);
        const by = readers.length > 0 ? `referenced by ${readers.join(', ')}` : 'linked to tables the tenant tables reference';
        out.push(`    reason: ${yamlString(`lookup table ${by}; no ${column}: every tenant reads it, the application writes none`)}`, '    commands: [select]');
        out.push(`    # review: or mode: shared: a nullable ${column}; today's rows stay global, each tenant may add its own`);
      } else {
        out.push(`    reason: ${yamlString(table.reason)}`);
        if (table.foreignKeys.length === 0) out.push(...NO_RELATION_REVIEW(column));
      }
      return out;
    }
    const decision = options.decisions?.get(tableKey(table.name));
    const why: string[] = [table.reason];
    const paths = decision?.paths ?? (table.path === null ? [] : [table.path]);
    if (decision?.paths != null) why.push(`filled from ${paths.map((p) => p.map(hopText).join(', ')).join(', else ')}: the path the data supports best`);
    else if (table.path !== null) why.push(`filled from ${table.path.map(hopText).join(', ')}, the nearest table with ${column} or filled before`);
    out.push(`  ${key}:  # ${why.join('; ')}`);
    if (table.existingColumn !== null) out.push(`    existing_column: ${table.existingColumn}`);
    if (table.primaryKey !== null && table.primaryKey !== 'id') out.push(`    primary_key: ${yamlString(table.primaryKey)}`);
    if (paths.length > 1) out.push(`    backfill:`, `      first_of: [${paths.map((p) => (p.length === 1 ? yamlString(hopText(p[0] as ProposedHop)) : pathYaml(p))).join(', ')}]`);
    else if (paths[0] !== undefined) out.push(`    backfill: ${pathYaml(paths[0])}`);
    if (decision === undefined) for (const alternative of table.alternatives) out.push(`    # also possible: backfill: ${pathYaml(alternative)}`);
    for (const note of decision?.notes ?? []) out.push(`    ${note}`);
    if (counts !== undefined && counts.unresolved > 0) {
      const detail = paths.length === 0 ? 'and no path to a tenant' : 'that no path resolves';
      out.push(`    unresolved: keep  # ${plural(counts.unresolved, 'row')} without ${column} ${detail}: visible to ${options.crossRole} only`);
      if (table.existingColumn === null) out.push(`    # review: or mode: shared if those rows are meant for everyone (platform defaults): every tenant reads them, none writes them`);
    } else if (counts !== undefined && counts.missing > 0) {
      out.push(`    # ${plural(counts.missing, 'row')} to fill, all resolved by the path`);
    }
    out.push(...partitionsYaml(table));
    if (table.foreignKeys.length > 0) {
      out.push('    foreign_keys:');
      for (const fk of table.foreignKeys) out.push(foreignKeyYaml(fk, modes.get(tableKey(fk.table)) === 'tenant'));
    }
    return out;
  };
  const rank = (t: ProposedTable): number => (tableKey(t.name) === tableKey(proposal.tenantTable) ? 0 : t.mode === 'exempt' ? 1 : 2);
  const ordered = [...proposal.tables].sort((a, b) => rank(a) - rank(b));
  for (const table of ordered) lines.push(...entry(table));
  lines.push(...viewLines(proposal));
  return `${lines.join('\n')}\n`;
}

const readsText = (reads: readonly QualifiedName[]): string => reads.map(tableKey).join(', ');

/**
 * Every view that reads a tenant table, under `views:` (made security_invoker
 * and granted: on PostgreSQL 15+ it then reads under the reader's policies;
 * before 15 it stays ungranted), and the materialized views, which are never
 * granted, in a comment.
 */
function viewLines(proposal: Proposal): string[] {
  const views = proposal.views.filter((v) => !v.materialized);
  const materialized = proposal.views.filter((v) => v.materialized);
  const lines: string[] = [];
  if (views.length > 0) {
    lines.push('', '# Views that read tenant tables: made security_invoker (PostgreSQL 15+) and granted', '# to the application role; before PostgreSQL 15 they stay ungranted.', 'views:');
    for (const view of views) lines.push(`  ${yamlKey(view.name)}:  # reads ${readsText(view.reads)}`);
  }
  if (materialized.length > 0) {
    lines.push('', '# Materialized views over tenant tables have no row-level security: never grant them', '# to the application role.');
    for (const view of materialized) lines.push(`#   ${tableKey(view.name)} (reads ${readsText(view.reads)})`);
  }
  return lines;
}
