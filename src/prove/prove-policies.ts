import type { DbSnapshot, RoleInfo, TableInfo } from '../introspect/snapshot.js';
import { lintContext } from '../lint/lint-database.js';
import type { Model } from '../manifest/model.js';
import { type CheckSpace, display, scenariosFor } from './check-space.js';
import { collectTerms, emptyTerms } from './collect-terms.js';
import { buildDomains, modelled } from './domains.js';
import { ExpressionCache } from './policy-clauses.js';
import { bypassedTable, provePolicyTable, unverifiedTable } from './prove-table.js';
import { FunctionResolver } from './resolve-function.js';
import { type ProofResult, type TableProof, worst } from './result.js';
import { valueType } from './values.js';

export interface ProveOptions {
  readonly model: Model | null;
  /** The application role; defaults to the manifest's. */
  readonly appRole?: string | null;
  /** Without a manifest: the tenant column (default company_id). */
  readonly tenantColumn?: string;
  /** Without a manifest: the tenant variable (default app.company_id). */
  readonly setting?: string;
}

/**
 * The roles whose policies apply to `role`: itself and the roles it inherits
 * the privileges of (PostgreSQL applies a policy to a role that has the
 * privileges of a role it names), PUBLIC as `public`.
 */
export function inheritedRoles(snapshot: DbSnapshot, role: string | null): Set<string> {
  const out = new Set<string>(['public']);
  const byName = new Map<string, RoleInfo>(snapshot.roles.map((r) => [r.name, r]));
  const visit = (name: string, inherit: boolean): void => {
    if (out.has(name) && name !== 'public') return;
    out.add(name);
    if (!inherit) return;
    for (const parent of byName.get(name)?.memberOf ?? []) visit(parent, byName.get(parent)?.inherit ?? true);
  };
  if (role !== null) visit(role, byName.get(role)?.inherit ?? true);
  return out;
}

/**
 * Decides, from the catalog snapshot alone, whether the application role can
 * reach another tenant's rows in each tenant table: read, insert, update into
 * or out of a tenant, delete, with the tenant variable unset, empty, malformed
 * or set to a tenant. Pure: snapshot in, verdicts out.
 */
export function provePolicies(snapshot: DbSnapshot, options: ProveOptions): ProofResult {
  const context = lintContext(snapshot, { model: options.model, ...(options.appRole === undefined ? {} : { appRole: options.appRole }), ...(options.tenantColumn === undefined ? {} : { tenantColumn: options.tenantColumn }), ...(options.setting === undefined ? {} : { setting: options.setting }) });
  const role = context.appRole;
  const roles = inheritedRoles(snapshot, role);
  const resolver = new FunctionResolver(snapshot);
  const cache = new ExpressionCache();
  const info = snapshot.roles.find((r) => r.name === role);
  const shapes = new Map<string, TableProof>();
  const tables: TableProof[] = [];
  for (const table of context.tenantTables) {
    const column = table.columns.find((c) => c.name === context.tenantColumn);
    if (column === undefined) continue;
    tables.push(proveOne(table, { role, roles, info, resolver, cache, tenantColumn: context.tenantColumn, setting: context.setting, nullable: !column.notNull, type: column.type, shapes }));
  }
  tables.sort((a, b) => `${a.table.schema}.${a.table.name}`.localeCompare(`${b.table.schema}.${b.table.name}`));
  return { role, setting: context.setting, tenantColumn: context.tenantColumn, verdict: worst(tables.map((t) => t.verdict)), tables };
}

interface TableSetup {
  readonly role: string | null;
  readonly roles: ReadonlySet<string>;
  readonly info: RoleInfo | undefined;
  readonly resolver: FunctionResolver;
  readonly cache: ExpressionCache;
  readonly tenantColumn: string;
  readonly setting: string;
  readonly nullable: boolean;
  readonly type: string;
  /** Proofs by table shape: tables with the same policies and column types get the same verdicts. */
  readonly shapes: Map<string, TableProof>;
}

function proveOne(table: TableInfo, s: TableSetup): TableProof {
  const tenantType = valueType(s.type);
  if (!modelled(tenantType)) return unverifiedTable(table, `the tenant column ${s.tenantColumn} is of type ${s.type}, which the prover does not model`);
  const terms = emptyTerms();
  for (const p of table.policies) for (const text of [p.using, p.check]) if (text !== null) collectTerms(s.cache.get(text), table, s.resolver, terms);
  // A row may hold the application role's name, which current_user returns for every tenant.
  if (terms.currentUser.used && s.role !== null) terms.constants.push({ value: s.role, type: 'text' });
  const columnTypes = table.columns.filter((c) => terms.columns.has(c.name)).map((c) => valueType(c.type));
  const domains = buildDomains(tenantType, terms, columnTypes);
  const [a, b] = [display(domains.tenantChoices[0] ?? domains.b) ?? '', display(domains.b) ?? ''];
  const bypass =
    s.info?.superuser === true || s.info?.bypassRls === true
      ? `the role ${s.role} is ${s.info.superuser ? 'a superuser' : 'BYPASSRLS'}: no policy applies to it`
      : !table.rlsEnabled
        ? 'row-level security is off on the table'
        : s.roles.has(table.owner) && !table.rlsForced
          ? `the role ${s.role} ${s.role === table.owner ? 'owns the table' : `has the privileges of its owner ${table.owner}`} and row-level security is not forced`
          : null;
  if (bypass !== null) return bypassedTable(table, bypass, s.tenantColumn, s.setting, a, b);
  const shape = shapeOf(table, terms.columns, s);
  const known = s.shapes.get(shape);
  if (known !== undefined) return { ...known, table: { schema: table.schema, name: table.name } };
  const space: CheckSpace = { table, tenantColumn: s.tenantColumn, setting: s.setting, role: s.role, resolver: s.resolver, domains, scenarios: scenariosFor(domains), nullableTenant: s.nullable };
  const proof = provePolicyTable(space, s.roles, s.cache);
  s.shapes.set(shape, proof);
  return proof;
}

/** What a table's proof depends on: its policies for the role, the types of the columns they read, its tenant column. */
function shapeOf(table: TableInfo, columns: ReadonlySet<string>, s: TableSetup): string {
  const policies = [...table.policies].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => [p.name, p.command, p.permissive, p.roles.some((r) => r === 'public' || s.roles.has(r)), p.using, p.check]);
  const qualified = table.policies.some((p) => `${p.using ?? ''} ${p.check ?? ''}`.includes(`${table.name}.`));
  return JSON.stringify([s.type, s.nullable, table.columns.filter((c) => columns.has(c.name)).map((c) => [c.name, c.type]), policies, qualified ? table.name : null]);
}
