import { readRoleReach, readRoutineFacts, type RoutineFacts } from '../../introspect/queries/read-lookup-catalog.js';
import { findTableInfo, roleClosure } from '../../introspect/snapshot.js';
import { type LookupFunction, lookupFunctions } from '../../manifest/lookup-functions.js';
import { quoteIdent, quoteQualified } from '../../sql/quote.js';
import { fail, pass } from '../check.js';
import type { LookupProbe } from '../probe.js';
import type { ProbeSession } from '../probe-session.js';
import type { CheckResult } from '../result.js';

const ID = 'lookups';
const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** SECURITY DEFINER, STABLE, STRICT, search_path pinned, one argument per key column, exactly the declared columns. */
function shape(l: LookupFunction, f: RoutineFacts): CheckResult {
  const problems = [
    ...(f.securityDefiner ? [] : ['it is not SECURITY DEFINER']),
    ...(f.volatility === 'stable' ? [] : [`it is ${f.volatility}, not STABLE`]),
    ...(f.strict ? [] : ['it is not STRICT: a NULL key is looked up']),
    ...(f.searchPath?.replace(/\s+/g, '') === 'pg_catalog,pg_temp' ? [] : [`its search_path is ${f.searchPath ?? 'not pinned'}, not pg_catalog, pg_temp`]),
    ...(f.arguments === l.key.length ? [] : [`it takes ${f.arguments} arguments for a key of ${l.key.length} column(s)`]),
    ...(same(f.resultColumns, l.returns) ? [] : [`it returns (${f.resultColumns.join(', ')}), not the declared (${l.returns.join(', ')})`]),
  ];
  return problems.length === 0
    ? pass(ID, `${l.lookup}: SECURITY DEFINER, STABLE, STRICT, search_path pg_catalog, pg_temp; returns ${l.returns.join(', ')}`)
    : fail(ID, `${l.lookup}: ${problems.join('; ')}`);
}

/** Executable by the application role, and by nobody else but its owner (PUBLIC gets EXECUTE by default). */
function execution(l: LookupFunction, f: RoutineFacts): CheckResult {
  const others = f.executors.filter((r) => r !== l.grantee && r !== f.owner);
  if (others.length > 0) return fail(ID, `${l.lookup}: executable by ${others.join(', ')}${others.includes('PUBLIC') ? ' (every role)' : ''}; only ${l.grantee} may call it`);
  if (!f.executors.includes(l.grantee)) return fail(ID, `${l.lookup}: ${l.grantee} may not execute it`);
  return pass(ID, `${l.lookup}: executable by ${l.grantee} only (not PUBLIC)`);
}

/** The owner is the dedicated lookup role: not the application role, NOLOGIN, no bypass, no memberships, owns and reads nothing else. */
async function owner(s: ProbeSession, l: LookupFunction, f: RoutineFacts): Promise<CheckResult> {
  const role = s.snapshot.roles.find((r) => r.name === f.owner);
  const declared = lookupFunctions(s.model);
  const reach = await readRoleReach(s.client, f.owner, { schema: l.function.schema, names: declared.map((d) => d.lookup) });
  const allowed = new Set(declared.flatMap((d) => [...d.key, ...d.returns].map((c) => `${d.table.schema}.${d.table.name}.${c}:SELECT`)));
  const problems = [
    ...(f.owner === l.owner ? [] : [`it is owned by ${f.owner}, not the lookup role ${l.owner}`]),
    ...(f.owner === s.app ? ['its owner is the application role'] : []),
    ...(role === undefined ? [] : [...(role.canLogin ? ['its owner can log in'] : []), ...(role.superuser || role.bypassRls ? ['its owner bypasses row security'] : []), ...(role.memberOf.length > 0 ? [`its owner is a member of ${role.memberOf.join(', ')}`] : [])]),
    ...(roleClosure(s.snapshot, s.app).has(f.owner) ? [`${s.app} can act as its owner ${f.owner}`] : []),
    ...(reach.ownsOther.length > 0 ? [`its owner also owns ${reach.ownsOther.join(', ')}`] : []),
    ...(reach.tablePrivileges.length > 0 ? [`its owner holds table privileges ${reach.tablePrivileges.join(', ')}`] : []),
    ...reach.columnPrivileges.filter((p) => !allowed.has(p)).map((p) => `its owner may also read ${p}`),
  ];
  return problems.length === 0
    ? pass(ID, `${l.lookup}: owned by ${f.owner} (NOLOGIN, owns and reads nothing else, out of ${s.app}'s reach)`)
    : fail(ID, `${l.lookup}: ${problems.join('; ')}`);
}

/** A unique index (valid, not partial, plain columns) whose columns all belong to the key: at most one row per key. */
function uniqueKey(s: ProbeSession, l: LookupFunction): CheckResult {
  const info = findTableInfo(s.snapshot, l.table);
  const unique = info?.indexes.some((i) => i.unique && i.valid && !i.partial && i.columns.every((c) => c !== null && l.key.includes(c)));
  return unique === true ? pass(ID, `${l.lookup}: (${l.key.join(', ')}) is unique in ${quoteQualified(l.table.schema, l.table.name)}`) : fail(ID, `${l.lookup}: no unique index of ${l.table.schema}.${l.table.name} covers (${l.key.join(', ')}): the lookup can return rows of several tenants`);
}

/**
 * As the application role with no tenant: no key (NULL) finds nothing, a
 * pattern is not a pattern, a key that exists returns that one row with the
 * declared columns, and a key that does not exist finds nothing.
 */
async function behaviour(s: ProbeSession, l: LookupFunction): Promise<CheckResult> {
  const call = `SELECT * FROM ${quoteQualified(l.function.schema, l.function.name)}(${l.key.map((_, i) => `$${i + 1}`).join(', ')})`;
  const asApp = (values: readonly (string | null)[]) => s.asApp(undefined, async () => s.client.query(call, [...values]));
  const table = quoteQualified(l.table.schema, l.table.name);
  const none = await asApp(l.key.map(() => null));
  if (!none.ok || none.value.rowCount !== 0) return fail(ID, `${l.lookup}: without a key it ${none.ok ? `returned ${none.value.rowCount} rows` : `failed: ${none.message}`}`, s.reproduce(null, call.replace(/\$\d+/g, 'NULL')));
  const pattern = await asApp(l.key.map(() => '%'));
  const literal = await s.count(`SELECT count(*) AS n FROM ${table} WHERE ${l.key.map((c) => `${quoteIdent(c)}::text = '%'`).join(' AND ')}`);
  if (pattern.ok && (pattern.value.rowCount ?? 0) > literal) return fail(ID, `${l.lookup}: the key '%' returned ${pattern.value.rowCount} rows: it matches a pattern`, s.reproduce(null, call.replace(/\$\d+/g, "'%'")));
  const sample = await s.client.query<{ k: string[]; v: (string | null)[] }>(
    `SELECT ARRAY[${l.key.map((c) => `${quoteIdent(c)}::text`).join(', ')}] AS k, ARRAY[${l.returns.map((c) => `${quoteIdent(c)}::text`).join(', ')}] AS v FROM ${table} WHERE ${l.key.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ')} LIMIT 1`,
  );
  const row = sample.rows[0];
  if (row === undefined) return pass(ID, `${l.lookup}: no key finds nothing; ${table} has no row to look up`);
  const found = await asApp(row.k);
  if (!found.ok) return fail(ID, `${l.lookup}: looking up an existing key failed: ${found.message}`);
  const fields = found.value.fields.map((f) => f.name);
  if (found.value.rowCount !== 1 || !same(fields, l.returns)) return fail(ID, `${l.lookup}: an existing key returned ${found.value.rowCount} row(s) of (${fields.join(', ')})`);
  const missing = await asApp(row.k.map((k, i) => (i === 0 ? `${k}\u0001rlsgen` : k)));
  if (missing.ok && (missing.value.rowCount ?? 0) > 0) return fail(ID, `${l.lookup}: a key that does not exist returned ${missing.value.rowCount} rows`);
  return pass(ID, `${l.lookup}: no key finds nothing, '%' is no pattern, an existing key returns its one row (${l.returns.join(', ')})`);
}

/**
 * A declared lookup is an accepted exposure: one row by an exact key, the
 * declared columns only, for the application role only, run as a role that
 * owns and reads nothing else. This probe proves each of those on the
 * function as it is in the database.
 */
export const lookups: LookupProbe = {
  id: ID,
  scope: 'lookup',
  proves: 'a lookup finds one row by its exact key and returns only its declared columns, for the application role only, as a role that owns and reads nothing else',
  async run(s, l) {
    const facts = await readRoutineFacts(s.client, l.function.schema, l.function.name);
    if (facts === null) return [fail(ID, `${l.lookup}: there is no function ${l.function.schema}.${l.function.name}`)];
    return [shape(l, facts), execution(l, facts), await owner(s, l, facts), uniqueKey(s, l), await behaviour(s, l)];
  },
};
