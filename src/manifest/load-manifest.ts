import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { MAX_IDENTIFIER_BYTES } from '../sql/quote.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostic.js';
import {
  type BackfillPath,
  type Command,
  COMMANDS,
  type CrossTenantRoleSpec,
  type ForeignKey,
  type Hop,
  type Model,
  type OnDelete,
  type TableMode,
  type TableModel,
  type TableName,
  type Target,
  type TenantType,
} from './model.js';
import { isParseError, parseHop, parseTableRef, type TableRef } from './reference-syntax.js';
import { manifestSchema } from './schema.js';
import { didYouMean } from './suggest.js';

export type LoadResult =
  | { readonly ok: true; readonly model: Model; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

type Segment = string | number;

/** Positions of nodes in the parsed YAML, by path. */
class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private locate(offset: number): { line: number; column: number } {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  private node(path: readonly Segment[]): Node | undefined {
    const found: unknown = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return isScalar(found) || isMap(found) || isSeq(found) ? found : undefined;
  }

  /** Position of the value at `path`, falling back to the nearest ancestor. */
  value(path: readonly Segment[]): { line: number; column: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.node(path.slice(0, depth));
      if (node?.range) return this.locate(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Position of the key `key` inside the mapping at `path`. */
  key(path: readonly Segment[], key: string): { line: number; column: number } {
    const map = this.node(path);
    if (isMap(map)) {
      for (const item of map.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
          return this.locate(item.key.range[0]);
        }
      }
    }
    return this.value(path);
  }
}

function displayPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function pointerToPath(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile(manifestSchema);

type SchemaNode = Record<string, unknown>;

function resolveRef(node: SchemaNode): SchemaNode {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  let target: unknown = manifestSchema;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    target = typeof target === 'object' && target !== null ? (target as SchemaNode)[part] : undefined;
  }
  return typeof target === 'object' && target !== null ? resolveRef(target as SchemaNode) : {};
}

/** Every schema that can describe the value at `path` (all branches of a oneOf). */
function schemasAt(path: readonly Segment[]): SchemaNode[] {
  const expand = (node: SchemaNode): SchemaNode[] => {
    const resolved = resolveRef(node);
    const branches = resolved['oneOf'];
    return Array.isArray(branches) ? branches.flatMap((b) => expand(b as SchemaNode)) : [resolved];
  };
  let nodes = expand(manifestSchema as SchemaNode);
  for (const segment of path) {
    nodes = nodes.flatMap((node) => {
      const props = node['properties'] as Record<string, SchemaNode> | undefined;
      if (typeof segment === 'string' && props?.[segment] !== undefined) return expand(props[segment]);
      const extra = node['additionalProperties'];
      if (typeof segment === 'string' && typeof extra === 'object' && extra !== null) return expand(extra as SchemaNode);
      const items = node['items'];
      if (typeof segment === 'number' && typeof items === 'object' && items !== null) return expand(items as SchemaNode);
      return [];
    });
  }
  return nodes;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function valueAtPath(root: unknown, path: readonly Segment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Turns ajv's errors into one diagnostic per real problem. */
function shapeDiagnostics(errors: readonly ErrorObject[], data: unknown, file: string, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const push = (d: Diagnostic): void => {
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };
  for (const error of errors) {
    const path = pointerToPath(error.instancePath);
    const at = map.value(path);
    const base = { severity: 'error' as const, file, path: displayPath(path), line: at.line, column: at.column };
    if (error.keyword === 'oneOf') {
      // Report the branch errors below instead, unless no branch even had the right type.
      const deeper = errors.filter(
        (e) => e.instancePath.startsWith(error.instancePath) && e.keyword !== 'oneOf' && e.keyword !== 'type',
      );
      if (deeper.length === 0) {
        push({ ...base, code: 'manifest/invalid-type', message: `${describeType(valueAtPath(data, path))} is not allowed here` });
      }
      continue;
    }
    if (error.keyword === 'type' && oneOfPaths.has(error.instancePath)) continue;
    if (error.keyword === 'type' && [...oneOfPaths].some((p) => error.instancePath.startsWith(`${p}/`))) {
      const parentOneOf = [...oneOfPaths].find((p) => error.instancePath.startsWith(`${p}/`));
      if (parentOneOf !== undefined && errors.some((e) => e.instancePath === parentOneOf && e.keyword === 'type')) continue;
    }
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String((error.params as { additionalProperty: string }).additionalProperty);
        const at2 = map.key(path, key);
        const allowed = schemasAt(path).flatMap((node) => Object.keys((node['properties'] as Record<string, unknown> | undefined) ?? {}));
        push({
          ...base,
          path: displayPath([...path, key]),
          line: at2.line,
          column: at2.column,
          code: 'manifest/unknown-key',
          message: `unknown key ${JSON.stringify(key)}`,
          ...didYouMean(key, allowed),
        });
        break;
      }
      case 'required': {
        const key = String((error.params as { missingProperty: string }).missingProperty);
        push({ ...base, code: 'manifest/missing-key', message: `missing required key ${JSON.stringify(key)}` });
        break;
      }
      case 'enum': {
        const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
        const actual = String(valueAtPath(data, path));
        push({
          ...base,
          code: 'manifest/invalid-value',
          message: `${JSON.stringify(valueAtPath(data, path))} is not one of ${allowed.join(', ')}`,
          ...didYouMean(actual, allowed),
        });
        break;
      }
      case 'const':
        push({
          ...base,
          code: 'manifest/invalid-value',
          message: `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`,
        });
        break;
      case 'type':
        push({
          ...base,
          code: 'manifest/invalid-type',
          message: `expected ${String((error.params as { type: string }).type)}, found ${describeType(valueAtPath(data, path))}`,
        });
        break;
      case 'pattern': {
        const description = schemasAt(path).find((node) => typeof node['description'] === 'string')?.['description'];
        push({
          ...base,
          code: 'manifest/invalid-value',
          message: `${JSON.stringify(valueAtPath(data, path))} is not in the expected form`,
          ...(typeof description === 'string' ? { help: description } : {}),
        });
        break;
      }
      default:
        push({ ...base, code: 'manifest/invalid-value', message: error.message ?? 'invalid value' });
    }
  }
  return out;
}

// Raw (schema-valid) manifest shapes, as the YAML gives them.
type RawPath = string | readonly (string | RawHopObject)[];
interface RawHopObject {
  column: string;
  table: string;
  match?: string;
}
interface RawForeignKeyObject {
  references: string;
  on_delete?: OnDelete;
  composite?: boolean;
}
interface RawTable {
  mode?: TableMode;
  schema?: string;
  reason?: string;
  existing_column?: TenantType;
  primary_key?: string;
  backfill?: RawPath | { first_of: readonly RawPath[] };
  unresolved?: 'fail' | 'keep';
  legacy_owner?: string;
  foreign_keys?: Record<string, string | RawForeignKeyObject>;
  composite_foreign_keys?: boolean;
  commands?: Command[];
  distribution?: 'distributed' | 'reference' | 'local';
}
interface RawManifest {
  version: 1;
  tenant: { column: string; type: TenantType; references: string; setting?: string };
  user?: { setting?: string; type?: TenantType };
  roles: {
    app: { name: string; create?: boolean };
    cross_tenant?: { name: string; create?: boolean; write?: boolean };
  };
  migration?: { lock_timeout?: string; statement_timeout?: string; batch_size?: number; owner?: string };
  context?: 'plain' | 'signed';
  target?: 'postgres' | 'citus';
  defaults?: { schema?: string; primary_key?: string };
  templates?: string;
  tables: Record<string, RawTable>;
}

/**
 * Parses and validates a manifest. Pure: the caller reads the file and passes
 * its text and the name to report. Every problem is collected and returned
 * with its position; the model is returned only when there is no error.
 */
export interface ManifestOverrides {
  /** `--target`: replaces the manifest's `target` (checked as if written there). */
  readonly target?: Target;
}

export function loadManifest(text: string, file: string, overrides: ManifestOverrides = {}): LoadResult {
  const result = parseAndCheck(text, file, overrides);
  return { ...result, diagnostics: sortDiagnostics(result.diagnostics) };
}

function parseAndCheck(text: string, file: string, overrides: ManifestOverrides): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const map = new SourceMap(doc, lines);
  const diagnostics: Diagnostic[] = [];

  for (const error of doc.errors) {
    const pos = lines.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    diagnostics.push({
      code: duplicate ? 'manifest/duplicate-key' : 'manifest/yaml-syntax',
      severity: 'error',
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: duplicate ? 'this key appears twice in the same mapping' : (error.message.split('\n')[0] ?? error.message),
    });
  }
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };

  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    return {
      ok: false,
      diagnostics: [
        { code: 'manifest/empty', severity: 'error', file, line: 1, column: 1, path: '', message: 'the manifest is empty' },
      ],
    };
  }
  if (!validateShape(data)) {
    return { ok: false, diagnostics: shapeDiagnostics(validateShape.errors ?? [], data, file, map) };
  }
  const raw = data as RawManifest;
  return buildModel(overrides.target === undefined ? raw : { ...raw, target: overrides.target }, file, map);
}

function buildModel(raw: RawManifest, file: string, map: SourceMap): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const error = (path: readonly Segment[], code: string, message: string, extra: { help?: string } = {}, key?: string): void => {
    const at = key === undefined ? map.value(path) : map.key(path, key);
    diagnostics.push({
      code: `manifest/${code}`,
      severity: 'error',
      file,
      line: at.line,
      column: at.column,
      path: displayPath(key === undefined ? path : [...path, key]),
      message,
      ...extra,
    });
  };
  const warning = (path: readonly Segment[], code: string, message: string, extra: { help?: string } = {}): void => {
    const at = map.value(path);
    diagnostics.push({ code: `manifest/${code}`, severity: 'warning', file, line: at.line, column: at.column, path: displayPath(path), message, ...extra });
  };
  const checkIdentifier = (path: readonly Segment[], name: string): void => {
    if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
      error(path, 'identifier-too-long', `${JSON.stringify(name)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it`);
    }
    if (name.includes('\u0000')) error(path, 'invalid-identifier', 'a name cannot contain a NUL character');
  };

  const defaultSchema = raw.defaults?.schema ?? 'public';
  const defaultPrimaryKey = raw.defaults?.primary_key ?? 'id';
  checkIdentifier(['defaults', 'schema'], defaultSchema);
  checkIdentifier(['tenant', 'column'], raw.tenant.column);
  checkIdentifier(['roles', 'app', 'name'], raw.roles.app.name);
  if (raw.migration?.owner !== undefined) checkIdentifier(['migration', 'owner'], raw.migration.owner);

  // Tables: names, duplicates.
  interface Entry {
    key: string;
    raw: RawTable;
    name: TableName;
  }
  const entries: Entry[] = [];
  const byName = new Map<string, Entry>();
  for (const [key, table] of Object.entries(raw.tables)) {
    let name: TableName;
    if (table.schema !== undefined) name = { schema: table.schema, name: key };
    else if (key.includes('.')) {
      const ref = parseTableRef(key);
      if (isParseError(ref) || ref.column !== null) {
        error(['tables'], 'invalid-table-name', `${JSON.stringify(key)} is not a table name`, { help: 'write `table`, `schema.table`, or set `schema:` on the entry' }, key);
        continue;
      }
      name = { schema: ref.schema ?? defaultSchema, name: ref.table };
    } else name = { schema: defaultSchema, name: key };
    for (const part of [name.name, name.schema]) {
      if (Buffer.byteLength(part, 'utf8') > MAX_IDENTIFIER_BYTES) {
        error(['tables'], 'identifier-too-long', `${JSON.stringify(part)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it`, {}, key);
      }
    }
    const id = `${name.schema}.${name.name}`;
    const previous = byName.get(id);
    if (previous !== undefined) {
      const at = map.key(['tables'], previous.key);
      error(['tables'], 'duplicate-table', `table ${id} is declared twice (first as ${JSON.stringify(previous.key)} at line ${at.line})`, {}, key);
      continue;
    }
    const entry = { key, raw: table, name };
    byName.set(id, entry);
    entries.push(entry);
  }

  const resolveTable = (ref: { schema: string | null; table: string }): Entry | undefined => {
    if (ref.schema !== null) return byName.get(`${ref.schema}.${ref.table}`);
    return entries.find((e) => e.key === ref.table) ?? byName.get(`${defaultSchema}.${ref.table}`);
  };
  const tableKeys = entries.map((e) => e.key);

  // Tenant table.
  const tenantRef = parseTableRef(raw.tenant.references);
  let tenantKey = '';
  let tenantName: TableName = { schema: defaultSchema, name: '' };
  let tenantKeyColumn = 'id';
  if (isParseError(tenantRef) || tenantRef.column === null) {
    error(['tenant', 'references'], 'invalid-reference', `${JSON.stringify(raw.tenant.references)} is not a table reference`, { help: 'write the tenant table and its key, e.g. companies(id)' });
  } else {
    tenantKeyColumn = tenantRef.column;
    const entry = resolveTable(tenantRef);
    if (entry !== undefined) {
      tenantKey = entry.key;
      tenantName = entry.name;
      if ((entry.raw.mode ?? 'tenant') !== 'exempt') {
        const modePath = entry.raw.mode === undefined ? ['tables'] : ['tables', entry.key, 'mode'];
        error(modePath, 'tenant-table-scoped', `the tenant table ${entry.key} cannot be tenant-scoped`, { help: 'declare it `mode: exempt` with a reason, or leave it out of `tables:`' }, entry.raw.mode === undefined ? entry.key : undefined);
      }
    } else {
      tenantName = { schema: tenantRef.schema ?? defaultSchema, name: tenantRef.table };
      tenantKey = tenantRef.schema === null ? tenantRef.table : `${tenantRef.schema}.${tenantRef.table}`;
    }
  }
  const tenantType = raw.tenant.type;
  const isTenantTable = (e: Entry): boolean => e.name.schema === tenantName.schema && e.name.name === tenantName.name;

  const roleApp = raw.roles.app;
  const cross = raw.roles.cross_tenant;
  if (cross !== undefined) {
    checkIdentifier(['roles', 'cross_tenant', 'name'], cross.name);
    if (cross.name === roleApp.name) {
      error(['roles', 'cross_tenant', 'name'], 'role-conflict', 'the cross-tenant role must differ from the application role', { help: 'the application role must never see other tenants; give super admins their own role and login' });
    }
  }

  const modeOf = (e: Entry): TableMode => e.raw.mode ?? 'tenant';
  const hasColumn = (e: Entry): boolean => modeOf(e) !== 'exempt' || e.raw.existing_column !== undefined;

  // Per-table semantics.
  const tables: TableModel[] = [];
  const pathTargets = new Map<string, Set<string>>();
  for (const entry of entries) {
    const { key, raw: t } = entry;
    const at = (...rest: Segment[]): Segment[] => ['tables', key, ...rest];
    const tableError = (code: string, message: string, extra: { help?: string } = {}): void => error(['tables'], code, message, extra, key);
    const mode = modeOf(entry);
    const scoped = mode !== 'exempt';

    if (mode === 'exempt' && t.reason === undefined && !isTenantTable(entry)) {
      tableError('missing-reason', `exempt table ${key} needs a \`reason\``, { help: 'say why the table is not tenant-scoped; the reason is copied into the generated SQL' });
    }
    if (!scoped) {
      for (const field of ['backfill', 'unresolved', 'legacy_owner'] as const) {
        if (t[field] !== undefined) error(at(), 'exempt-field', `\`${field}\` only applies to tenant and shared tables`, {}, field);
      }
    }
    if (t.existing_column !== undefined && t.existing_column !== tenantType) {
      error(at('existing_column'), 'type-mismatch', `existing column type ${t.existing_column} does not match tenant.type ${tenantType}`, { help: 'the tenant column must have the same type everywhere, or foreign keys and policy comparisons fail' });
    }
    if (mode === 'shared' && t.unresolved !== undefined) {
      error(at(), 'shared-unresolved', '`unresolved` does not apply to shared tables: their rows without a tenant are the global rows', {}, 'unresolved');
    }
    const primaryKey = t.primary_key ?? defaultPrimaryKey;
    checkIdentifier(at('primary_key'), primaryKey);

    // Foreign keys.
    const foreignKeys: ForeignKey[] = [];
    for (const [column, spec] of Object.entries(t.foreign_keys ?? {})) {
      checkIdentifier(at('foreign_keys'), column);
      const text = typeof spec === 'string' ? spec : spec.references;
      const fkPath = typeof spec === 'string' ? at('foreign_keys', column) : at('foreign_keys', column, 'references');
      const ref = parseTableRef(text);
      if (isParseError(ref)) {
        error(fkPath, 'invalid-reference', `${JSON.stringify(text)}: ${ref.error}`, { help: 'write the referenced table, e.g. contacts or contacts(id)' });
        continue;
      }
      const target = resolveTable(ref);
      if (target === undefined) {
        error(fkPath, 'unknown-table', `foreign key ${column} references ${JSON.stringify(text)}, which is not declared in tables`, didYouMean(ref.table, tableKeys));
        continue;
      }
      const targetPk = target.raw.primary_key ?? defaultPrimaryKey;
      const references = ref.column ?? (isTenantTable(target) ? tenantKeyColumn : targetPk);
      const wantComposite = t.composite_foreign_keys !== false && (typeof spec === 'string' || spec.composite !== false);
      const bothTenant = mode === 'tenant' && modeOf(target) === 'tenant';
      if (wantComposite && bothTenant && references !== targetPk) {
        warning(fkPath, 'composite-needs-primary-key', `foreign key ${column} references ${target.key}(${references}), not its primary key; it stays single-column`, { help: 'composite (tenant, column) keys are built on the referenced table\'s (tenant, primary key) index' });
      }
      foreignKeys.push({
        column,
        table: target.key,
        references,
        onDelete: typeof spec === 'string' ? 'no_action' : (spec.on_delete ?? 'no_action'),
        composite: wantComposite && bothTenant && references === targetPk,
      });
    }

    // Backfill paths.
    const rawPaths: { path: RawPath; at: Segment[] }[] = [];
    const b = t.backfill;
    if (b !== undefined) {
      if (typeof b === 'object' && !Array.isArray(b) && 'first_of' in b) {
        b.first_of.forEach((p, i) => rawPaths.push({ path: p, at: at('backfill', 'first_of', i) }));
      } else rawPaths.push({ path: b as RawPath, at: at('backfill') });
    }
    const backfill: BackfillPath[] = [];
    const targets = new Set<string>();
    for (const { path, at: pathAt } of rawPaths) {
      const hops: Hop[] = [];
      const items = typeof path === 'string' ? [path] : path;
      let from: Entry = entry;
      let broken = false;
      items.forEach((item, index) => {
        if (broken) return;
        const hopAt = typeof path === 'string' ? pathAt : [...pathAt, index];
        let column: string;
        let ref: TableRef;
        if (typeof item === 'string') {
          const parsed = parseHop(item);
          if (isParseError(parsed)) {
            error(hopAt, 'invalid-path', `${JSON.stringify(item)}: ${parsed.error}`, { help: 'a hop is `column -> table` or `column -> table(column)`; several hops are a list' });
            broken = true;
            return;
          }
          column = parsed.column;
          ref = parsed.target;
        } else {
          const parsedTable = parseTableRef(item.table);
          if (isParseError(parsedTable)) {
            error([...hopAt, 'table'], 'invalid-path', `${JSON.stringify(item.table)}: ${parsedTable.error}`);
            broken = true;
            return;
          }
          column = item.column;
          ref = { ...parsedTable, column: item.match ?? parsedTable.column };
        }
        const target = resolveTable(ref);
        if (target === undefined) {
          error(hopAt, 'unknown-table', `backfill path goes through ${JSON.stringify(ref.table)}, which is not declared in tables`, {
            help: (didYouMean(ref.table, tableKeys).help ?? 'declare every table a path goes through (as exempt if it is not scoped)'),
          });
          broken = true;
          return;
        }
        if (target === entry) {
          error(hopAt, 'invalid-path', `backfill path of ${key} returns to ${key}`, { help: 'fill a self-referencing table from its owner instead of from its parent row' });
          broken = true;
          return;
        }
        const match = ref.column ?? target.raw.primary_key ?? defaultPrimaryKey;
        const viaForeignKey = Object.entries(from.raw.foreign_keys ?? {}).some(([c, spec]) => {
          if (c !== column) return false;
          const r = parseTableRef(typeof spec === 'string' ? spec : spec.references);
          return !isParseError(r) && resolveTable(r) === target;
        });
        hops.push({ column, table: target.key, match, viaForeignKey });
        from = target;
      });
      if (broken) continue;
      const last = from;
      if (!hasColumn(last)) {
        error(pathAt, 'path-without-tenant', `backfill path ends at ${last.key}, which has no ${raw.tenant.column} column`, { help: `end the path at a tenant or shared table, or mark ${last.key} \`existing_column: ${tenantType}\`` });
        continue;
      }
      if (modeOf(last) !== 'exempt') targets.add(last.key);
      backfill.push(hops);
    }
    pathTargets.set(key, targets);

    if (t.legacy_owner !== undefined) {
      checkIdentifier(at('legacy_owner'), t.legacy_owner);
      if (t.legacy_owner === raw.tenant.column) error(at('legacy_owner'), 'invalid-value', 'the owner column cannot be the tenant column');
      if (mode === 'shared') {
        error(at('legacy_owner'), 'shared-legacy-owner', '`legacy_owner` does not apply to shared tables: their rows without a tenant are already visible to every tenant');
      }
    }
    if (t.legacy_owner !== undefined && mode === 'tenant' && (t.unresolved ?? 'fail') === 'fail') {
      warning(at('legacy_owner'), 'legacy-owner-unused', '`legacy_owner` has no effect with `unresolved: fail`: every row has a tenant before the policies are on', {
        help: 'remove it, or set `unresolved: keep` to keep unresolved rows visible to their owner',
      });
    }
    if (t.legacy_owner !== undefined && raw.context === 'signed') {
      warning(at('legacy_owner'), 'unsigned-user', 'with `context: signed` the tenant is signed but the user variable of legacy_owner is not', {
        help: 'rows without a tenant stay reachable by setting the user variable; fill them (unresolved: fail) to close that path',
      });
    }
    const unresolved = mode === 'shared' ? 'keep' : (t.unresolved ?? 'fail');
    if (mode === 'tenant' && unresolved === 'keep' && cross === undefined) {
      warning(at('unresolved'), 'unreachable-rows', 'rows kept without a tenant are visible to no role: no roles.cross_tenant is declared');
    }
    if (raw.target === 'citus') {
      if (mode === 'tenant' && unresolved === 'keep') {
        error(at('unresolved'), 'citus-nullable', 'with `target: citus` a tenant table cannot keep rows without a tenant: its tenant column becomes the NOT NULL distribution column', {
          help: 'give those rows a tenant first (rlsgen audit lists them), then use `unresolved: fail`',
        });
      }
      if (mode === 'shared' && t.distribution === 'distributed') {
        error(at('distribution'), 'citus-shared-distributed', 'a shared table has rows without a tenant and cannot be distributed by it', { help: 'make it a reference table' });
      }
    } else if (t.distribution !== undefined) {
      warning(at('distribution'), 'distribution-ignored', '`distribution` applies only with `target: citus`');
    }
    const commands: Command[] = t.commands !== undefined ? COMMANDS.filter((c) => t.commands?.includes(c)) : scoped ? [...COMMANDS] : [];
    tables.push({
      key,
      name: entry.name,
      mode,
      reason: mode === 'exempt' ? (t.reason ?? (isTenantTable(entry) ? 'the tenant table itself' : null)) : null,
      existingColumn: t.existing_column ?? null,
      primaryKey,
      backfill,
      unresolved,
      legacyOwner: t.legacy_owner ?? null,
      foreignKeys,
      commands,
      distribution: t.distribution ?? (mode === 'tenant' || isTenantTable(entry) ? 'distributed' : 'reference'),
    });
  }

  // Backfill order: a table whose path ends at another scoped table depends on
  // that table being filled first. Reject cycles.
  const cycle = findCycle(entries.map((e) => e.key), pathTargets);
  if (cycle !== null) {
    const first = cycle[0] ?? '';
    error(['tables', first, 'backfill'], 'backfill-cycle', `backfill paths form a cycle: ${[...cycle, first].join(' -> ')}`, { help: 'one table of the cycle must be filled from a table outside it (its owner, usually)' });
  }

  if (raw.target === 'citus' && raw.context === 'signed') {
    error(['context'], 'citus-signed', 'the signed context is not available with `target: citus`', {
      help: 'Citus rejects sub-selects in policies on distributed tables, and the signed check must run once per statement',
    });
  }

  if (hasErrors(diagnostics)) return { ok: false, diagnostics };

  const crossTenant: CrossTenantRoleSpec | null =
    cross === undefined ? null : { name: cross.name, create: cross.create ?? true, write: cross.write ?? false };
  const model: Model = {
    version: 1,
    tenant: {
      column: raw.tenant.column,
      type: tenantType,
      table: tenantKey,
      tableName: tenantName,
      key: tenantKeyColumn,
      setting: raw.tenant.setting ?? 'app.company_id',
    },
    user: { setting: raw.user?.setting ?? 'app.user_id', type: raw.user?.type ?? 'uuid' },
    roles: { app: { name: roleApp.name, create: roleApp.create ?? true }, crossTenant },
    migration: {
      lockTimeout: raw.migration?.lock_timeout ?? '2s',
      statementTimeout: raw.migration?.statement_timeout ?? '30s',
      batchSize: raw.migration?.batch_size ?? 5000,
      ...(raw.migration?.owner === undefined ? {} : { owner: raw.migration.owner }),
    },
    context: raw.context ?? 'plain',
    target: raw.target ?? 'postgres',
    templates: raw.templates ?? null,
    tables,
  };
  return { ok: true, model, diagnostics };
}

/** A cycle in the dependency graph, as the list of keys on it, or null. */
function findCycle(keys: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | null => {
    const s = state.get(key);
    if (s === 'done') return null;
    if (s === 'visiting') return stack.slice(stack.indexOf(key));
    state.set(key, 'visiting');
    stack.push(key);
    for (const next of [...(edges.get(key) ?? [])].sort()) {
      const found = visit(next);
      if (found !== null) return found;
    }
    stack.pop();
    state.set(key, 'done');
    return null;
  };
  for (const key of keys) {
    const found = visit(key);
    if (found !== null) return found;
  }
  return null;
}
