import type { BackfillPath, Hop, TableModel } from '../../model.js';
import type { RawPath } from '../../raw-manifest.js';
import { isParseError, parseHop, parseTableRef, type TableRef } from '../../reference-syntax.js';
import type { Segment } from '../../source-map.js';
import { didYouMean } from '../../suggest.js';
import { entryHasColumn, type TableEntry } from '../../table-index.js';
import { isTenantEntry, type TableKeyInput } from './table-key.js';

/** The paths of `backfill:`, each with where it is written: one path, or each of `first_of:`. */
function rawPaths(input: TableKeyInput): { path: RawPath; at: Segment[] }[] {
  const b = input.entry.raw.backfill;
  if (b === undefined) return [];
  if (typeof b === 'object' && !Array.isArray(b) && 'first_of' in b) return b.first_of.map((p, i) => ({ path: p, at: input.at('backfill', 'first_of', i) }));
  return [{ path: b as RawPath, at: input.at('backfill') }];
}

/** One hop as written: `column -> table(match)` or `{ column, table, match }`; null after reporting why not. */
function parseRawHop(input: TableKeyInput, item: string | { column: string; table: string; match?: string }, hopAt: Segment[]): { column: string; ref: TableRef } | null {
  const { report } = input.section;
  if (typeof item === 'string') {
    const parsed = parseHop(item);
    if (isParseError(parsed)) {
      report.error(hopAt, 'invalid-path', `${JSON.stringify(item)}: ${parsed.error}`, { help: 'a hop is `column -> table` or `column -> table(column)`; several hops are a list' });
      return null;
    }
    return { column: parsed.column, ref: parsed.target };
  }
  const parsedTable = parseTableRef(item.table);
  if (isParseError(parsedTable)) {
    report.error([...hopAt, 'table'], 'invalid-path', `${JSON.stringify(item.table)}: ${parsedTable.error}`);
    return null;
  }
  return { column: item.column, ref: { ...parsedTable, column: item.match ?? parsedTable.column } };
}

/** The hops of one path and the table it ends at, or null after reporting why the path is broken. */
function readPath(input: TableKeyInput, path: RawPath, pathAt: Segment[]): { hops: Hop[]; last: TableEntry } | null {
  const { entry, section } = input;
  const { report, tables, defaults } = section;
  const hops: Hop[] = [];
  const items = typeof path === 'string' ? [path] : path;
  let from: TableEntry = entry;
  for (const [index, item] of items.entries()) {
    const hopAt = typeof path === 'string' ? pathAt : [...pathAt, index];
    const parsed = parseRawHop(input, item, hopAt);
    if (parsed === null) return null;
    const { column, ref } = parsed;
    const target = tables.resolve(ref);
    if (target === undefined) {
      report.error(hopAt, 'unknown-table', `backfill path goes through ${JSON.stringify(ref.table)}, which is not declared in tables`, {
        help: (didYouMean(ref.table, tables.keys()).help ?? 'declare every table a path goes through (as exempt if it is not scoped)'),
      });
      return null;
    }
    if (target === entry) {
      report.error(hopAt, 'invalid-path', `backfill path of ${entry.key} returns to ${entry.key}`, { help: 'fill a self-referencing table from its owner instead of from its parent row' });
      return null;
    }
    const match = ref.column ?? target.raw.primary_key ?? defaults.primaryKey;
    const viaForeignKey = Object.entries(from.raw.foreign_keys ?? {}).some(([c, spec]) => {
      if (c !== column) return false;
      const r = parseTableRef(typeof spec === 'string' ? spec : spec.references);
      return !isParseError(r) && tables.resolve(r) === target;
    });
    hops.push({ column, table: target.key, match, viaForeignKey });
    from = target;
  }
  return { hops, last: from };
}

/**
 * `backfill:` how existing rows get their tenant: hops to a table with the
 * tenant column, or `first_of:` several such paths tried in order.
 */
export function readBackfill(input: TableKeyInput): Pick<TableModel, 'backfill'> {
  const { report, raw } = input.section;
  const backfill: BackfillPath[] = [];
  for (const { path, at } of rawPaths(input)) {
    const read = readPath(input, path, at);
    if (read === null) continue;
    if (!entryHasColumn(read.last) || isTenantEntry(read.last, input.tenant)) {
      report.error(at, 'path-without-tenant', `backfill path ends at ${read.last.key}, which has no ${raw.tenant.column} column`, { help: `end the path at a tenant or shared table, or mark ${read.last.key} \`existing_column: ${input.tenant.type}\`` });
      continue;
    }
    backfill.push(read.hops);
  }
  return { backfill };
}
