import { objectLabel } from '../sql/object-label.js';
import { predefinedAmong } from './predefined-roles.js';
import {
  type DbSnapshot,
  type FunctionInfo,
  type GrantInfo,
  roleClosure,
  type SequenceInfo,
  type TableInfo,
  type ViewInfo,
} from './snapshot.js';

interface ReachedBase {
  readonly schema: string;
  readonly name: string;
  /** `table public.users`, `function public.report(integer)`: see src/sql/object-label.ts. */
  readonly label: string;
  /** What the role may do with it: SELECT, INSERT, ..., USAGE, EXECUTE. */
  readonly privileges: readonly string[];
  /** Where the privileges come from: the role itself, PUBLIC, a role it is a member of, `owner x`, `x (columns)`. */
  readonly via: readonly string[];
}

/** An object a role can use, with the privileges it holds on it. */
export type ReachedObject =
  | (ReachedBase & { readonly kind: 'table'; readonly table: TableInfo })
  | (ReachedBase & { readonly kind: 'view' | 'materialized view'; readonly view: ViewInfo })
  | (ReachedBase & { readonly kind: 'sequence'; readonly sequence: SequenceInfo })
  | (ReachedBase & { readonly kind: 'function'; readonly fn: FunctionInfo });

export type ReachKind = ReachedObject['kind'];

const RELATION_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const SEQUENCE_PRIVILEGES = ['SELECT', 'USAGE', 'UPDATE'];
const FUNCTION_PRIVILEGES = ['EXECUTE'];

/** Privileges that read or change rows: what makes a relation reachable (REFERENCES and TRIGGER alone do not). */
export const ROW_PRIVILEGES: ReadonlySet<string> = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']);
export const WRITE_PRIVILEGES: ReadonlySet<string> = new Set(['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']);

/** Privileges `roles` hold on every object of a kind through predefined roles (pg_read_all_data, ...), with the role they come from. */
type Implicit = readonly { readonly role: string; readonly privileges: readonly string[] }[];

/** Privileges `roles` hold through `grants`, ownership and `implicit` ones. */
function held(grants: readonly GrantInfo[], owner: string, roles: ReadonlySet<string>, all: readonly string[], suffix = '', implicit: Implicit = []): { privileges: Set<string>; via: Set<string> } {
  const privileges = new Set<string>();
  const via = new Set<string>();
  for (const source of implicit.filter((i) => i.privileges.length > 0)) {
    for (const p of source.privileges) privileges.add(p);
    via.add(source.role);
  }
  if (roles.has(owner)) {
    for (const p of all) privileges.add(p);
    via.add(`owner ${owner}`);
  }
  for (const grant of grants) {
    if (grant.grantee !== 'PUBLIC' && !roles.has(grant.grantee)) continue;
    for (const p of grant.privileges) privileges.add(p);
    if (grant.privileges.length > 0) via.add(`${grant.grantee}${suffix}`);
  }
  return { privileges, via };
}

const sorted = (set: ReadonlySet<string>, order: readonly string[]): string[] => order.filter((p) => set.has(p));

/**
 * Everything `role` can use: through its own grants, PUBLIC's, those of every
 * role it is a member of (directly or not: it can SET ROLE to them), and
 * ownership, and every table, view and sequence through pg_read_all_data and
 * pg_write_all_data. An object in a schema the role has no USAGE on is out
 * of reach.
 * Functions of extensions are left out: they are not the application's code.
 * Pure, from the catalog snapshot.
 */
export function roleReach(snapshot: DbSnapshot, role: string): ReachedObject[] {
  const roles = roleClosure(snapshot, role);
  const predefined = predefinedAmong(roles);
  const onRelations: Implicit = predefined.map((r) => ({ role: r.name, privileges: r.relationPrivileges }));
  const onSequences: Implicit = predefined.map((r) => ({ role: r.name, privileges: r.sequencePrivileges }));
  // pg_read_all_data and pg_write_all_data include USAGE on every schema.
  const onSchemas: Implicit = predefined.filter((r) => r.relationPrivileges.length > 0).map((r) => ({ role: r.name, privileges: ['USAGE'] }));
  const usable = new Set(
    snapshot.schemas.filter((s) => held(s.grants, s.owner, roles, ['USAGE', 'CREATE'], '', onSchemas).privileges.has('USAGE')).map((s) => s.name),
  );
  const out: ReachedObject[] = [];
  const reach = (schema: string, privileges: Set<string>, via: Set<string>, order: readonly string[]): { privileges: string[]; via: string[] } | null =>
    usable.has(schema) && privileges.size > 0 ? { privileges: sorted(privileges, order), via: [...via].sort() } : null;
  for (const table of snapshot.tables) {
    const own = held(table.grants, table.owner, roles, RELATION_PRIVILEGES, '', onRelations);
    const columns = held(table.columnGrants, '', roles, RELATION_PRIVILEGES, ' (columns)');
    for (const p of columns.privileges) own.privileges.add(p);
    for (const v of columns.via) own.via.add(v);
    const found = reach(table.schema, own.privileges, own.via, RELATION_PRIVILEGES);
    if (found !== null) out.push({ kind: 'table', schema: table.schema, name: table.name, label: objectLabel('table', table.schema, table.name), table, ...found });
  }
  for (const view of snapshot.views) {
    const own = held(view.grants, view.owner, roles, RELATION_PRIVILEGES, '', onRelations);
    const found = reach(view.schema, own.privileges, own.via, RELATION_PRIVILEGES);
    const kind = view.materialized ? 'materialized view' : 'view';
    if (found !== null) out.push({ kind, schema: view.schema, name: view.name, label: objectLabel(kind, view.schema, view.name), view, ...found });
  }
  for (const sequence of snapshot.sequences) {
    const own = held(sequence.grants, sequence.owner, roles, SEQUENCE_PRIVILEGES, '', onSequences);
    const found = reach(sequence.schema, own.privileges, own.via, SEQUENCE_PRIVILEGES);
    if (found !== null) out.push({ kind: 'sequence', schema: sequence.schema, name: sequence.name, label: objectLabel('sequence', sequence.schema, sequence.name), sequence, ...found });
  }
  for (const fn of snapshot.functions) {
    if (fn.fromExtension) continue;
    const own = held(fn.grants, fn.owner, roles, FUNCTION_PRIVILEGES);
    const found = reach(fn.schema, own.privileges, own.via, FUNCTION_PRIVILEGES);
    if (found !== null) out.push({ kind: 'function', schema: fn.schema, name: fn.name, label: objectLabel('function', fn.schema, fn.name, fn.argumentTypes), fn, ...found });
  }
  return out;
}

/** Whether the role may read or change rows of the object (not only REFERENCES or TRIGGER). */
export function touchesRows(object: ReachedObject): boolean {
  return object.privileges.some((p) => ROW_PRIVILEGES.has(p));
}

export function writes(object: ReachedObject): string[] {
  return object.privileges.filter((p) => WRITE_PRIVILEGES.has(p));
}
