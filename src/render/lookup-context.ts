import type { LookupAccess, LookupAccessChange, LookupPlan, LookupState, Step } from '../plan/plan.js';
import { LOOKUP_SCHEMA } from '../manifest/model.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';
import { SqlText } from './sql-text.js';

/** Name of the SELECT policy the lookup role gets on each lookup table under row-level security. */
export const LOOKUP_POLICY = 'rlsgen_lookup_select';

const columnType = (l: LookupPlan, column: string): string => `${quoteQualified(l.table.schema, l.table.name)}.${quoteIdent(column)}%TYPE`;
const sqlArray = (values: readonly string[]): string => `ARRAY[${values.map(quoteLiteral).join(', ')}]::text[]`;

/**
 * What the lookup templates print for one function. Argument and column
 * types are the table's own (`public.users.email%TYPE`): the manifest does
 * not know them, PostgreSQL resolves them when the function is created.
 */
function lookupFunction(l: LookupPlan): object {
  const summary = `${quoteQualified(l.table.schema, l.table.name)} by (${l.key.join(', ')}), returns ${l.returns.join(', ')}`;
  return {
    name: SqlText.qualified(l.function),
    nameLiteral: SqlText.literal(l.name),
    display: SqlText.comment(l.name),
    summary: SqlText.comment(summary),
    comment: SqlText.literal(`rlsgen lookup: ${summary}`),
    table: SqlText.qualified(l.table),
    tableLiteral: SqlText.literal(quoteQualified(l.table.schema, l.table.name)),
    tableDisplay: SqlText.comment(quoteQualified(l.table.schema, l.table.name)),
    argumentTypes: SqlText.sql(l.key.map((c) => columnType(l, c)).join(', ')),
    resultColumns: SqlText.sql(l.returns.map((c) => `${quoteIdent(c)} ${columnType(l, c)}`).join(', ')),
    selectList: SqlText.sql(l.returns.map((c) => `t.${quoteIdent(c)}`).join(', ')),
    where: SqlText.sql(l.key.map((c, i) => `t.${quoteIdent(c)} = $${i + 1}`).join(' AND ')),
    columns: SqlText.sql(sqlArray([...new Set([...l.key, ...l.returns])])),
    keyColumns: SqlText.sql(sqlArray(l.key)),
    keyDisplay: SqlText.comment(l.key.join(', ')),
  };
}

function accessChange(change: LookupAccessChange, previous: LookupState | null, next: LookupState | null): object {
  const keep = (from: LookupAccess | null, to: LookupAccess | null): boolean => from?.policy === true && to?.policy === true && previous?.role === next?.role;
  const policyKept = keep(change.from, change.to);
  return {
    table: SqlText.qualified(change.table),
    display: SqlText.comment(quoteQualified(change.table.schema, change.table.name)),
    policy: SqlText.ident(LOOKUP_POLICY),
    revoke: change.from === null || previous === null ? null : SqlText.ident(previous.role),
    dropPolicy: change.from?.policy === true && !policyKept,
    grant: change.to === null || next === null ? null : { columns: SqlText.sql(change.to.columns.map(quoteIdent).join(', ')), role: SqlText.ident(next.role) },
    createPolicy: change.to?.policy === true && !policyKept,
  };
}

function state(s: LookupState | null): object | null {
  if (s === null) return null;
  return {
    role: SqlText.ident(s.role),
    roleLiteral: SqlText.literal(s.role),
    roleDisplay: SqlText.comment(s.role),
    createRole: s.createRole,
    app: SqlText.ident(s.app),
    appLiteral: SqlText.literal(s.app),
    appDisplay: SqlText.comment(s.app),
    lookups: s.lookups.map(lookupFunction),
  };
}

/** Schemas whose USAGE the lookup role gains or loses. */
function usage(from: LookupState | null, to: LookupState | null): { grant: object[]; revoke: object[] } {
  const sameRole = from?.role === to?.role;
  const had = new Set(sameRole ? (from?.schemas ?? []) : []);
  const has = new Set(sameRole ? (to?.schemas ?? []) : []);
  const item = (schema: string, role: string): object => ({ schema: SqlText.ident(schema), role: SqlText.ident(role) });
  return {
    grant: to === null ? [] : to.schemas.filter((x) => !had.has(x)).map((x) => item(x, to.role)),
    revoke: from === null ? [] : from.schemas.filter((x) => !has.has(x)).map((x) => item(x, from.role)),
  };
}

/**
 * The context of the `lookups` templates. `up` is what the migration does,
 * `down` its exact inverse: the same parts with `previous` and `next` swapped.
 */
export function lookupsContext(step: Extract<Step, { kind: 'lookups' }>): object {
  const { previous, next } = step;
  const direction = (from: LookupState | null, to: LookupState | null, create: readonly LookupPlan[], drop: readonly LookupPlan[], changes: readonly LookupAccessChange[]): object => ({
    from: state(from),
    to: state(to),
    setup: from === null,
    teardown: to === null,
    appChanged: from !== null && to !== null && from.app !== to.app,
    create: create.map(lookupFunction),
    drop: drop.map(lookupFunction),
    access: changes.map((c) => accessChange(c, from, to)),
    usage: usage(from, to),
  });
  const swapped = step.access.map((c) => ({ table: c.table, from: c.to, to: c.from }));
  return {
    schema: SqlText.ident(LOOKUP_SCHEMA),
    schemaLiteral: SqlText.literal(LOOKUP_SCHEMA),
    schemaDisplay: SqlText.comment(LOOKUP_SCHEMA),
    up: direction(previous, next, step.create, step.drop, step.access),
    down: direction(next, previous, step.drop, step.create, swapped),
  };
}
