import { MAX_IDENTIFIER_BYTES } from '../sql/quote.js';
import type { TableMode, TableName } from './model.js';
import type { RawManifest, RawTable } from './raw-manifest.js';
import { isParseError, parseTableRef } from './reference-syntax.js';
import type { Reporter } from './report.js';
import type { ManifestDefaults } from './sections/defaults.js';

/** A table declared under `tables:`, with its real name. */
export interface TableEntry {
  readonly key: string;
  readonly raw: RawTable;
  readonly name: TableName;
}

/**
 * The tables the manifest declares, by key and by real name: what every
 * section resolves a table reference against (`users`, `public.users`).
 */
export class TableIndex {
  readonly entries: readonly TableEntry[];
  private readonly byName: ReadonlyMap<string, TableEntry>;

  private constructor(entries: readonly TableEntry[], byName: ReadonlyMap<string, TableEntry>, private readonly defaultSchema: string) {
    this.entries = entries;
    this.byName = byName;
  }

  /** Reads the keys of `tables:`: names, schemas, duplicates (`calls` and `public.calls`). */
  static build(raw: RawManifest, defaults: ManifestDefaults, report: Reporter): TableIndex {
    const entries: TableEntry[] = [];
    const byName = new Map<string, TableEntry>();
    for (const [key, table] of Object.entries(raw.tables)) {
      const name = relationName(key, table.schema, defaults.schema);
      if (name === null) {
        report.error(['tables'], 'invalid-table-name', `${JSON.stringify(key)} is not a table name`, { help: 'write `table`, `schema.table`, or set `schema:` on the entry' }, key);
        continue;
      }
      for (const part of [name.name, name.schema]) {
        if (Buffer.byteLength(part, 'utf8') > MAX_IDENTIFIER_BYTES) {
          report.error(['tables'], 'identifier-too-long', `${JSON.stringify(part)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it`, {}, key);
        }
      }
      const id = `${name.schema}.${name.name}`;
      const previous = byName.get(id);
      if (previous !== undefined) {
        report.error(['tables'], 'duplicate-table', `table ${id} is declared twice (first as ${JSON.stringify(previous.key)} at line ${report.lineOf(['tables'], previous.key)})`, {}, key);
        continue;
      }
      const entry = { key, raw: table, name };
      byName.set(id, entry);
      entries.push(entry);
    }
    return new TableIndex(entries, byName, defaults.schema);
  }

  /** The declared table a reference names: by key first, then by real name in the default schema. */
  resolve(ref: { readonly schema: string | null; readonly table: string }): TableEntry | undefined {
    if (ref.schema !== null) return this.byName.get(`${ref.schema}.${ref.table}`);
    return this.entries.find((e) => e.key === ref.table) ?? this.byName.get(`${this.defaultSchema}.${ref.table}`);
  }

  /** The keys, for "did you mean" hints. */
  keys(): string[] {
    return this.entries.map((e) => e.key);
  }
}

/**
 * The real name of a relation declared by `key` (`calls`, `billing.calls`)
 * or by `key` and `schema:`; names are literal, a key with a dot is
 * `schema.name`. Null when the key does not parse.
 */
export function relationName(key: string, schema: string | undefined, defaultSchema: string): TableName | null {
  if (schema !== undefined) return { schema, name: key };
  if (!key.includes('.')) return { schema: defaultSchema, name: key };
  const ref = parseTableRef(key);
  return isParseError(ref) || ref.column !== null ? null : { schema: ref.schema ?? defaultSchema, name: ref.table };
}

export const modeOf = (entry: TableEntry): TableMode => entry.raw.mode ?? 'tenant';

/** True when the table has (or will have) the tenant column. */
export const entryHasColumn = (entry: TableEntry): boolean => modeOf(entry) !== 'exempt' || entry.raw.existing_column !== undefined;
