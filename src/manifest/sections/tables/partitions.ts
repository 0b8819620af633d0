import type { PartitionModel, Partitioning, TableModel, TableName } from '../../model.js';
import type { RawPartitions } from '../../raw-manifest.js';
import { isParseError, parseTableRef } from '../../reference-syntax.js';
import type { Segment } from '../../source-map.js';
import type { TableEntry, TableIndex } from '../../table-index.js';
import type { TableKeyInput } from './table-key.js';

interface WrittenPartition {
  readonly text: string;
  readonly at: Segment[];
  /** Where the name is a key of a mapping (report at the key), not an item of a list. */
  readonly key: string | null;
  readonly parentPath: Segment[];
  readonly parentText: string | null;
  readonly children: RawPartitions | null;
}

/** Every partition written under `partitions:` (or `children:`), depth first, with where it is written. */
function writtenPartitions(entry: TableEntry): WrittenPartition[] {
  const out: WrittenPartition[] = [];
  const walk = (raw: RawPartitions, at: Segment[], parentText: string | null): void => {
    if (Array.isArray(raw)) {
      raw.forEach((text: string, i) => out.push({ text, at: [...at, i], key: null, parentPath: at, parentText, children: null }));
      return;
    }
    for (const [text, value] of Object.entries(raw as Record<string, null | { partitions: RawPartitions }>)) {
      const children = value === null ? null : value.partitions;
      out.push({ text, at, key: text, parentPath: at, parentText, children });
      if (children !== null) walk(children, [...at, text, 'partitions'], text);
    }
  };
  if (entry.raw.partitions !== undefined) walk(entry.raw.partitions, ['tables', entry.key, 'partitions'], null);
  if (entry.raw.children !== undefined) walk(entry.raw.children, ['tables', entry.key, 'children'], null);
  return out;
}

/** A partition's real name: literal like a key of `tables:`, or `schema.name`; in the schema of its table unless written. */
function partitionName(text: string, table: TableName): TableName | null {
  if (!text.includes('.')) return { schema: table.schema, name: text };
  const ref = parseTableRef(text);
  if (isParseError(ref) || ref.column !== null) return null;
  return { schema: ref.schema ?? table.schema, name: ref.table };
}

const id = (n: TableName): string => `${n.schema}.${n.name}`;

interface FirstListed {
  /** Each partition's first table, in the order of `tables:`. */
  readonly owner: ReadonlyMap<string, { readonly key: string; readonly position: number }>;
  readonly position: ReadonlyMap<TableEntry, number>;
}

const listed = new WeakMap<TableIndex, FirstListed>();

/** Where each partition is first listed, computed once per manifest: each table then looks up its own (linear, not quadratic). */
function firstListed(tables: TableIndex): FirstListed {
  let found = listed.get(tables);
  if (found === undefined) {
    const owner = new Map<string, { key: string; position: number }>();
    const position = new Map<TableEntry, number>();
    tables.entries.forEach((entry, i) => {
      position.set(entry, i);
      for (const p of writtenPartitions(entry)) {
        const name = partitionName(p.text, entry.name);
        if (name !== null && !owner.has(id(name))) owner.set(id(name), { key: entry.key, position: i });
      }
    });
    found = { owner, position };
    listed.set(tables, found);
  }
  return found;
}

/**
 * `partition_key:`, `partitions:` and `children:` a partitioned table's
 * partitions (sub-partitions nested) or an inheritance parent's children.
 * Each gets the table's tenant column, index, foreign keys and row-level
 * security: a query on a partition by its own name uses the partition's
 * policies, never the parent's.
 */
export function readPartitions(input: TableKeyInput): Pick<TableModel, 'partitioning' | 'partitionKey' | 'partitions'> {
  const { entry, section } = input;
  const { report } = section;
  const raw = entry.raw;
  const partitionKey = raw.partition_key ?? [];
  partitionKey.forEach((column, i) => report.checkIdentifier(input.at('partition_key', i), column));
  if (raw.children !== undefined && (raw.partitions !== undefined || raw.partition_key !== undefined)) {
    report.error(input.at(), 'partitions-and-children', 'a table is either partitioned (`partitions:`, `partition_key:`) or an inheritance parent (`children:`), not both', {}, 'children');
  }
  const partitioning: Partitioning = raw.children !== undefined ? 'inheritance' : raw.partitions !== undefined || raw.partition_key !== undefined ? 'partitioned' : 'none';
  if (partitioning !== 'none' && !input.scoped) {
    report.warning(input.at(), 'partitions-ignored', 'partitions and children only matter for tenant and shared tables; an exempt table keeps its partitions as they are');
  }

  const earlier = firstListed(section.tables);
  const position = earlier.position.get(entry) ?? 0;
  const partitions: PartitionModel[] = [];
  const seen = new Set<string>();
  for (const p of writtenPartitions(entry)) {
    const fail = (code: string, message: string, help?: string): void => {
      if (p.key === null) report.error(p.at, code, message, help === undefined ? {} : { help });
      else report.error(p.parentPath, code, message, help === undefined ? {} : { help }, p.key);
    };
    const name = partitionName(p.text, entry.name);
    if (name === null) {
      fail('invalid-table-name', `${JSON.stringify(p.text)} is not a table name`, 'write `partition` or `schema.partition`');
      continue;
    }
    report.checkIdentifier(p.at, name.name);
    const declared = section.tables.resolve({ schema: name.schema, table: name.name });
    if (declared !== undefined && declared.name.schema === name.schema && declared.name.name === name.name) {
      fail('partition-declared-as-table', `${id(name)} is declared under tables: and as a partition of ${entry.key}`, 'declare it once, under its parent: a partition takes its parent\'s mode, backfill and policies');
      continue;
    }
    if (id(name) === id(entry.name) || seen.has(id(name))) {
      fail('duplicate-partition', `${id(name)} is listed twice`);
      continue;
    }
    const owner = earlier.owner.get(id(name));
    if (owner !== undefined && owner.position < position) {
      fail('duplicate-partition', `${id(name)} is already listed under ${owner.key}`);
      continue;
    }
    seen.add(id(name));
    const parent = p.parentText === null ? entry.name : (partitionName(p.parentText, entry.name) ?? entry.name);
    partitions.push({ name, parent, partitioned: p.children !== null });
  }
  return { partitioning, partitionKey, partitions };
}
