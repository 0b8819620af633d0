import type { TenantType } from '../manifest/model.js';
import type { PlannedPath, PlanSettings, TablePlan } from '../plan/plan.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../sql/quote.js';

/**
 * SQL expressions shared by several templates, built from quoted parts only.
 * Each returns the text the policy or statement contains, shown in its JSDoc.
 */

const cast = (type: TenantType): string => (type === 'text' ? '' : `::${type}`);

/**
 * The value of a session variable, NULL when unset or empty:
 * `NULLIF(current_setting('app.company_id', true), '')::uuid`.
 *
 * `current_setting(name, true)` is NULL on a connection that never set the
 * variable but `''` on one whose earlier transaction set it locally (the
 * placeholder survives, https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET);
 * NULLIF makes both fail closed the same way, and a malformed value still
 * raises a cast error instead of matching anything.
 */
export function settingValue(setting: string, type: TenantType): string {
  return `NULLIF(current_setting(${quoteLiteral(setting)}, true), '')${cast(type)}`;
}

/** The current tenant as the policies read it. Signed mode verifies a token instead of trusting the variable. */
export function currentTenant(settings: PlanSettings): string {
  if (settings.context === 'signed') return `rlsgen.verified_tenant_${settings.tenantType}()`;
  return settingValue(settings.tenantSetting, settings.tenantType);
}

/**
 * The current user, for `legacy_owner` rows:
 * `NULLIF(current_setting('app.user_id', true), '')::uuid`, or in the signed
 * context `rlsgen.verified_user_uuid()`, which checks the user token's HMAC
 * as the tenant's is checked.
 */
export function currentUser(settings: PlanSettings): string {
  if (settings.context === 'signed') return `rlsgen.verified_user_${settings.userType}()`;
  return settingValue(settings.userSetting, settings.userType);
}

/**
 * The tenant predicate of every policy.
 *
 * Plain context: `company_id = NULLIF(current_setting('app.company_id', true), '')::uuid`,
 * a STABLE expression the planner uses as an index condition (evaluated once
 * per scan) and treats as one value across the tables of a join, so a join of
 * two tenant tables is estimated as the hand-written `WHERE` would be. Wrapped
 * in a sub-select (an InitPlan) each table would get its own opaque
 * parameter, and joins were planned as if the tenants were independent (2x
 * slower in `npm run bench`). Citus also rejects sub-selects in policies.
 *
 * Signed context: `company_id = (SELECT rlsgen.verified_tenant_uuid())`, an
 * InitPlan, so the HMAC is checked once per statement, never per row.
 */
export function ownRow(table: TablePlan, settings: PlanSettings): string {
  const value = settings.context === 'signed' ? `(SELECT ${currentTenant(settings)})` : currentTenant(settings);
  return `${quoteIdent(table.column)} = ${value}`;
}

/**
 * Seed 000's backward-compatible rule, bound to the current tenant:
 *
 *   (company_id IS NULL AND owner_id = (SELECT u.id FROM public.users AS u
 *      WHERE u.id = <current user> AND u.company_id = <current tenant>))
 *
 * A row still without a tenant is visible to its owner only while the
 * current tenant is the owner's: the user variable alone would reach the
 * rows of any user of any company. The sub-select is an InitPlan, evaluated
 * once per statement; it reads the users table as the application role, so
 * the users table's own policies apply too. Only where rows can stay without
 * a tenant (`unresolved: keep`): with `fail`, NOT NULL holds before any
 * policy exists, and a dead OR branch would keep PostgreSQL from using the
 * tenant index for ordered scans. Setting `unresolved: fail` retires it.
 */
export function legacyRow(table: TablePlan, settings: PlanSettings): string | null {
  if (table.legacyOwner === null || table.unresolved !== 'keep') return null;
  const users = settings.userTable;
  if (users === null) throw new Error(`internal: ${table.key} has legacy_owner but the manifest names no users table`);
  const key = `u.${quoteIdent(users.key)}`;
  const owner = `(SELECT ${key} FROM ${quoteQualified(users.name.schema, users.name.name)} AS u WHERE ${key} = ${currentUser(settings)} AND u.${quoteIdent(settings.tenantColumn)} = ${currentTenant(settings)})`;
  return `(${quoteIdent(table.column)} IS NULL AND ${quoteIdent(table.legacyOwner)} = ${owner})`;
}

/** `company_id IS NULL`: a global row of a shared table. */
export function globalRow(table: TablePlan): string {
  return `${quoteIdent(table.column)} IS NULL`;
}

export interface PolicyDefinition {
  readonly name: string;
  readonly command: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'ALL';
  readonly role: string;
  readonly using: string | null;
  readonly check: string | null;
}

/** The policies a table gets, one per command, named `rlsgen_<role kind>_<command>`. */
export function policiesFor(table: TablePlan, settings: PlanSettings): PolicyDefinition[] {
  const own = ownRow(table, settings);
  const legacy = legacyRow(table, settings);
  const visible = table.mode === 'shared' ? `(${own}) OR ${globalRow(table)}` : legacy === null ? own : `(${own}) OR ${legacy}`;
  const writable = legacy === null ? own : `(${own}) OR ${legacy}`;
  const app = settings.appRole.name;
  const out: PolicyDefinition[] = [];
  for (const command of table.commands) {
    switch (command) {
      case 'select':
        out.push({ name: 'rlsgen_tenant_select', command: 'SELECT', role: app, using: visible, check: null });
        break;
      case 'insert':
        out.push({ name: 'rlsgen_tenant_insert', command: 'INSERT', role: app, using: null, check: own });
        break;
      case 'update':
        out.push({ name: 'rlsgen_tenant_update', command: 'UPDATE', role: app, using: table.mode === 'shared' ? own : writable, check: own });
        break;
      case 'delete':
        out.push({ name: 'rlsgen_tenant_delete', command: 'DELETE', role: app, using: table.mode === 'shared' ? own : writable, check: null });
        break;
      default: {
        const never: never = command;
        throw new Error(`unknown command ${String(never)}`);
      }
    }
  }
  const cross = settings.crossTenantRole;
  // One policy per role and command: a second permissive policy would only be OR-ed in.
  if (cross !== null) {
    out.push(
      cross.write
        ? { name: 'rlsgen_cross_tenant_write', command: 'ALL', role: cross.name, using: 'true', check: 'true' }
        : { name: 'rlsgen_cross_tenant_read', command: 'SELECT', role: cross.name, using: 'true', check: null },
    );
  }
  return out;
}

/** `CREATE POLICY ... ON table AS PERMISSIVE FOR cmd TO role USING (...) WITH CHECK (...)`. */
export function createPolicy(table: TablePlan, policy: PolicyDefinition): string {
  const parts = [
    `CREATE POLICY ${quoteIdent(policy.name)} ON ${quoteQualified(table.name.schema, table.name.name)}`,
    `  AS PERMISSIVE FOR ${policy.command} TO ${quoteIdent(policy.role)}`,
  ];
  if (policy.using !== null) parts.push(`  USING (${policy.using})`);
  if (policy.check !== null) parts.push(`  WITH CHECK (${policy.check})`);
  return `${parts.join('\n')};`;
}

/** Joins of a path's hops after the first: `JOIN public.orders AS h2 ON h2.id = h1.order_id`, aliases `<prefix>1`, `<prefix>2`, ... */
export function hopJoins(path: PlannedPath, prefix: string, join: 'JOIN' | 'LEFT JOIN' = 'JOIN'): string[] {
  const out: string[] = [];
  for (let i = 1; i < path.hops.length; i++) {
    const hop = path.hops[i];
    if (hop === undefined) continue;
    out.push(`${join} ${quoteQualified(hop.table.schema, hop.table.name)} AS ${prefix}${i + 1} ON ${prefix}${i + 1}.${quoteIdent(hop.match)} = ${prefix}${i}.${quoteIdent(hop.column)}`);
  }
  return out;
}

/** True when every hop matches a primary key: the path finds at most one row. */
export const isUniquePath = (path: PlannedPath): boolean => path.hops.every((h) => h.unique);

/** The parts of the query that finds a row's tenant through one path: `SELECT <value> FROM <from> WHERE <where>`. */
export interface PathQuery {
  readonly value: string;
  readonly from: string;
  readonly where: string;
}

/**
 * The query of one path reading `row`. A hop that matches a non-unique
 * column resolves only when every match agrees on one tenant (`value` is then
 * an aggregate); otherwise the row stays unresolved and is reported.
 */
export function pathQuery(path: PlannedPath, row: string): PathQuery {
  const first = path.hops[0];
  if (first === undefined) throw new Error('internal: empty backfill path');
  const tenant = `h${path.hops.length}.${quoteIdent(path.tenantColumn)}`;
  return {
    value: isUniquePath(path)
      ? tenant
      : `CASE WHEN count(DISTINCT ${tenant}) = 1 THEN (array_agg(${tenant}) FILTER (WHERE ${tenant} IS NOT NULL))[1] END`,
    from: [`${quoteQualified(first.table.schema, first.table.name)} AS h1`, ...hopJoins(path, 'h')].join(' '),
    where: `h1.${quoteIdent(first.match)} = ${row}.${quoteIdent(first.column)}`,
  };
}

/**
 * The tenant of a row found through one path, as a scalar sub-select reading
 * `row` (`NEW` in the fill trigger):
 * `(SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = NEW.user_id)`.
 */
export function pathResolver(path: PlannedPath, row: string): string {
  const q = pathQuery(path, row);
  return `(SELECT ${q.value} FROM ${q.from} WHERE ${q.where})`;
}

/** The first path that resolves: `COALESCE(<path 1>, <path 2>)`. */
export function tenantResolver(table: TablePlan, row: string): string {
  const paths = table.backfill.map((p) => pathResolver(p, row));
  if (paths.length === 0) throw new Error(`internal: ${table.key} has no backfill path`);
  return paths.length === 1 ? (paths[0] ?? '') : `COALESCE(\n    ${paths.join(',\n    ')}\n  )`;
}
