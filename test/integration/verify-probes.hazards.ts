import { quoteIdent } from '../../src/sql/quote.js';

/**
 * The hazard each verify probe catches, as SQL applied after a correct
 * rollout of the WhatsApp CRM (test/golden/modes, or test/golden/signed for
 * the signed context), and the probes another test makes fail. Read by
 * test/integration/verify-probes.test.ts, which makes each hazard, and by
 * test/unit/verify-docs.test.ts, which holds every registered probe to one
 * of the two lists.
 */

/** The rollout's roles, named per test run (roles are cluster-wide). */
export interface RolloutRoles {
  readonly app: string;
  readonly cross: string;
  /** A name free for a role the hazard creates. */
  readonly spare: string;
}

export interface ProbeHazard {
  readonly probe: string;
  /** What the mutation does, in words. */
  readonly hazard: string;
  readonly rollout: 'plain' | 'signed';
  readonly sql: (roles: RolloutRoles) => string;
  /** Where the failure shows: a table key, `(roles)`, or an object's label. */
  readonly on: string;
  /** Every check that fails there: the probe and the ones the same hazard trips. */
  readonly fails: readonly string[];
  /** Other tables the hazard opens up, whose own checks fail too. */
  readonly alsoOn?: readonly string[];
  /** What the probe's failure says. */
  readonly detail?: RegExp;
}

/** A probe the hazards here do not make fail: another test does (the Citus probes' only on a Citus cluster). */
export interface ProbeExemption {
  readonly probe: string;
  /** The hazard the covering test makes, and why it is not made here. */
  readonly reason: string;
  /** The test that makes the probe fail, by file and title. */
  readonly coveredBy: { readonly file: string; readonly test: string };
}

const tenant = "current_setting('app.company_id', true)";
const own = `organization_id = NULLIF(${tenant}, '')::uuid`;
const app = (r: RolloutRoles): string => quoteIdent(r.app);

/** Replaces the rollout's `rlsgen_tenant_<command>` policy on `table` with `clause`. */
const replacePolicy = (table: string, command: 'select' | 'insert' | 'update' | 'delete', clause: string) => (r: RolloutRoles): string =>
  `DROP POLICY rlsgen_tenant_${command} ON ${table}; CREATE POLICY rlsgen_tenant_${command} ON ${table} FOR ${command.toUpperCase()} TO ${app(r)} ${clause}`;

/** Policies that check a tenant is set, not which one: every tenant's rows readable and updatable. */
const readAndUpdateAny = (r: RolloutRoles): string =>
  `CREATE POLICY leak_select ON orders FOR SELECT TO ${app(r)} USING (${tenant} <> '');
   CREATE POLICY leak_update ON orders FOR UPDATE TO ${app(r)} USING (${tenant} <> '')`;

/** The read probes that fail when a tenant sees another tenant's rows. */
const READ_OTHER = ['read-own', 'read-other', 'count', 'prepared'];
/** ... and when rows are visible whatever the variable holds. */
const OPEN_READ = [...READ_OTHER, 'unset-fresh', 'unset-pooled', 'empty', 'malformed'];

export const HAZARDS: readonly ProbeHazard[] = [
  {
    probe: 'count',
    hazard: 'a second permissive SELECT policy USING (true)',
    rollout: 'plain',
    sql: (r) => `CREATE POLICY leak ON orders FOR SELECT TO ${app(r)} USING (true)`,
    on: 'orders',
    fails: OPEN_READ,
  },
  {
    probe: 'join',
    hazard: 'SELECT policies USING (true) on orders and on the customers it references',
    rollout: 'plain',
    sql: (r) => `CREATE POLICY leak ON orders FOR SELECT TO ${app(r)} USING (true); CREATE POLICY leak ON customers FOR SELECT TO ${app(r)} USING (true)`,
    on: 'orders',
    fails: [...OPEN_READ, 'join'],
    alsoOn: ['customers'],
  },
  {
    probe: 'unset-fresh',
    hazard: 'the SELECT policy falls back to every row when the variable was never set (NULL)',
    rollout: 'plain',
    sql: replacePolicy('orders', 'select', `USING (organization_id = COALESCE(${tenant}, organization_id::text)::uuid)`),
    on: 'orders',
    fails: ['unset-fresh'],
  },
  {
    probe: 'unset-pooled',
    hazard: "the INSERT policy lets a reset variable ('') through",
    rollout: 'plain',
    sql: replacePolicy('orders', 'insert', `WITH CHECK (organization_id::text = ${tenant} OR ${tenant} = '')`),
    on: 'orders',
    fails: ['unset-pooled'],
  },
  {
    probe: 'empty',
    hazard: 'the SELECT policy shows every row when the variable is an empty string',
    rollout: 'plain',
    sql: replacePolicy('orders', 'select', `USING (organization_id::text = ${tenant} OR ${tenant} = '')`),
    on: 'orders',
    // A reset variable is an empty string too.
    fails: ['unset-pooled', 'empty'],
  },
  {
    probe: 'malformed',
    hazard: 'the SELECT policy shows every row when the variable is not an id',
    rollout: 'plain',
    sql: replacePolicy('orders', 'select', `USING (organization_id::text = ${tenant} OR ${tenant} !~ '^[0-9a-f-]*$')`),
    on: 'orders',
    fails: ['malformed'],
  },
  {
    probe: 'insert-other',
    hazard: 'the INSERT policy checks that a tenant is set, not which one',
    rollout: 'plain',
    sql: replacePolicy('orders', 'insert', `WITH CHECK (${tenant} <> '')`),
    on: 'orders',
    fails: ['insert-other'],
  },
  {
    probe: 'delete-other',
    hazard: 'the DELETE policy checks that a tenant is set, not which one (a DELETE without WHERE reads no column, so no SELECT policy stops it)',
    rollout: 'plain',
    sql: replacePolicy('flow_logs', 'delete', `USING (${tenant} <> '')`),
    on: 'flow_logs',
    fails: ['delete-other'],
    detail: /^a DELETE without WHERE, as a tenant that owns no row, removed \d+ rows?$/,
  },
  {
    probe: 'update-other',
    hazard: "the UPDATE policy's USING checks that a tenant is set, not which one (WITH CHECK intact): an UPDATE without WHERE takes every tenant's rows",
    rollout: 'plain',
    sql: replacePolicy('flow_logs', 'update', `USING (${tenant} <> '') WITH CHECK (${own})`),
    on: 'flow_logs',
    fails: ['update-other'],
    detail: /^an UPDATE without WHERE, as tenant [0-9a-f-]+, changed \d+ rows; it owns \d+$/,
  },
  {
    probe: 'returning',
    hazard: "policies that let any tenant read and update another tenant's rows",
    rollout: 'plain',
    sql: readAndUpdateAny,
    on: 'orders',
    fails: [...READ_OTHER, 'update-other', 'returning', 'hop', 'upsert'],
  },
  {
    probe: 'upsert',
    hazard: "policies that let any tenant read and update another tenant's rows (ON CONFLICT DO UPDATE checks both)",
    rollout: 'plain',
    sql: readAndUpdateAny,
    on: 'orders',
    fails: [...READ_OTHER, 'update-other', 'returning', 'hop', 'upsert'],
  },
  {
    probe: 'update-other',
    hazard: "the same policies, with UPDATE granted on customer_id alone (a column privilege): the probes must write a column the role may update, not read the key's 42501 as row security",
    rollout: 'plain',
    sql: (r) => `REVOKE UPDATE ON orders FROM ${app(r)}; GRANT UPDATE (customer_id) ON orders TO ${app(r)}; ${readAndUpdateAny(r)}`,
    on: 'orders',
    fails: [...READ_OTHER, 'update-other', 'returning', 'upsert'],
  },
  {
    probe: 'row-security-off',
    hazard: 'row-level security disabled on the table (its policies stay)',
    rollout: 'plain',
    sql: () => 'ALTER TABLE orders DISABLE ROW LEVEL SECURITY',
    on: 'orders',
    fails: [...OPEN_READ, 'insert-other', 'update-other', 'delete-other', 'returning', 'hop', 'upsert', 'row-security-off'],
  },
  {
    probe: 'global-read',
    hazard: "the shared table's SELECT policy without its branch for global rows",
    rollout: 'plain',
    sql: replacePolicy('templates', 'select', `USING (${own})`),
    on: 'templates',
    fails: ['read-own', 'global-read'],
    // A campaign points at the global template, which its tenant no longer sees: the reference
    // trigger on campaigns.template_id (it reads under the writer's policies) refuses its writes.
    alsoOn: ['campaigns'],
  },
  {
    probe: 'global-write',
    hazard: "the shared table's UPDATE policy with the SELECT policy's branch for global rows",
    rollout: 'plain',
    sql: replacePolicy('templates', 'update', `USING (${own} OR organization_id IS NULL) WITH CHECK (${own} OR organization_id IS NULL)`),
    on: 'templates',
    // Its blind UPDATE hands the global rows to one tenant.
    fails: ['global-write', 'update-other'],
  },
  {
    probe: 'cross-read',
    hazard: "the cross-tenant role's SELECT policy dropped",
    rollout: 'plain',
    sql: () => 'DROP POLICY rlsgen_cross_tenant_read ON orders',
    on: 'orders',
    fails: ['cross-read'],
  },
  {
    probe: 'cross-write',
    hazard: 'the read-only cross-tenant role granted UPDATE, with a policy that lets it',
    rollout: 'plain',
    sql: (r) => `GRANT UPDATE ON orders TO ${quoteIdent(r.cross)}; CREATE POLICY leak ON orders FOR UPDATE TO ${quoteIdent(r.cross)} USING (true)`,
    on: 'orders',
    fails: ['cross-write'],
  },
  {
    probe: 'cross-write',
    hazard: 'the same, on a table whose key only DEFAULT may set (GENERATED ALWAYS AS IDENTITY): the probe must not read 428C9 as read-only',
    rollout: 'plain',
    sql: (r) =>
      `ALTER TABLE whatsapp_api_logs ALTER COLUMN id DROP DEFAULT, ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 1000000);
       GRANT UPDATE ON whatsapp_api_logs TO ${quoteIdent(r.cross)}; CREATE POLICY leak ON whatsapp_api_logs FOR UPDATE TO ${quoteIdent(r.cross)} USING (true)`,
    on: 'whatsapp_api_logs',
    fails: ['cross-write'],
  },
  {
    probe: 'role-membership',
    hazard: 'the application role made a member of a BYPASSRLS role',
    rollout: 'plain',
    sql: (r) => `CREATE ROLE ${quoteIdent(r.spare)} NOLOGIN BYPASSRLS; GRANT ${quoteIdent(r.spare)} TO ${app(r)}`,
    on: '(roles)',
    fails: ['role-membership'],
  },
  {
    probe: 'sequence-privileges',
    hazard: "UPDATE (setval) on the sequence of a table's inserts granted to the application role",
    rollout: 'plain',
    sql: (r) => `GRANT UPDATE ON SEQUENCE flow_logs_id_seq TO ${app(r)}`,
    on: 'sequence public.flow_logs_id_seq',
    fails: ['sequence-privileges'],
  },
  {
    probe: 'signed-token',
    hazard: "the SELECT policy takes the tenant from the token's last field without checking its signature",
    rollout: 'signed',
    sql: replacePolicy('orders', 'select', `USING (organization_id = (regexp_match(${tenant}, '\\.([^.]+)$'))[1]::uuid)`),
    on: 'orders',
    fails: ['signed-token'],
  },
];

const citus = 'Citus only: proven on a Citus cluster by test/integration/citus.test.ts (runs when CITUS_URL is set)';

export const EXEMPT: readonly ProbeExemption[] = [
  { probe: 'read-own', reason: 'dropping the SELECT policy hides the tenant its own rows', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails and names the table when a policy is dropped' } },
  { probe: 'read-other', reason: 'the table owned by the application role, without FORCE', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when row security is not forced and the application role owns the table' } },
  { probe: 'hop', reason: 'an UPDATE policy WITH CHECK (true)', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when an update policy has no real WITH CHECK' } },
  { probe: 'reference', reason: 'a single-column foreign key to a tenant table', coveredBy: { file: 'test/integration/verify.test.ts', test: "fails when a single-column foreign key lets one tenant probe another tenant's ids" } },
  { probe: 'truncate', reason: 'the table owned by the application role', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when row security is not forced and the application role owns the table' } },
  { probe: 'set-role-owner', reason: 'the table owned by the application role', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when row security is not forced and the application role owns the table' } },
  { probe: 'prepared', reason: 'a policy reading the variable through an IMMUTABLE function', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when a policy reads the variable through an IMMUTABLE function (cached plans keep one tenant)' } },
  { probe: 'legacy-owner', reason: 'the owner branch trusting the user variable alone', coveredBy: { file: 'test/integration/verify.test.ts', test: "fails when the legacy owner branch trusts the user variable alone (any company's user)" } },
  { probe: 'role-attributes', reason: 'the application role given BYPASSRLS', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails on every table when the application role gets BYPASSRLS' } },
  { probe: 'tenant-row', reason: 'a tenant-table SELECT policy USING (true)', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when every tenant may read every row of the tenant table' } },
  { probe: 'lookups', reason: 'a lookup executable by PUBLIC, by a pattern, with a wider owner, without a unique key', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails when PUBLIC may execute a lookup, and passes once it no longer may' } },
  { probe: 'definer-function', reason: 'an undeclared SECURITY DEFINER function reading a tenant table', coveredBy: { file: 'test/integration/reach.test.ts', test: 'SECURITY DEFINER function reading a tenant table, executable by PUBLIC: fails naming it; revoked, it passes' } },
  { probe: 'exempt-tenant-data', reason: 'an exempt table with tenant rows granted to the application role', coveredBy: { file: 'test/integration/reach.test.ts', test: 'exempt table with tenant rows granted to the application role: fails naming it; ungranted, it passes' } },
  { probe: 'exempt-tenant-reference', reason: 'exempt tables whose rows belong to tenants through foreign keys', coveredBy: { file: 'test/integration/verify.test.ts', test: 'fails on the manifest before lookups (users, sessions and audit_logs exempt, every company row readable), naming what each exposes' } },
  { probe: 'child-policies', reason: 'an inheritance child and partitions without their own policies', coveredBy: { file: 'test/integration/reach.test.ts', test: 'inheritance child of a tenant table reachable directly without its own policies: fails naming it; with them, it passes' } },
  { probe: 'view-security-invoker', reason: 'a view over a tenant table without security_invoker', coveredBy: { file: 'test/integration/reach.test.ts', test: 'view over a tenant table without security_invoker granted to the application role: fails naming it; security_invoker, it passes' } },
  { probe: 'materialized-view', reason: 'a materialized view over tenant rows granted to the application role', coveredBy: { file: 'test/integration/reach.test.ts', test: 'materialized view over tenant rows granted to the application role: fails naming it; ungranted, it passes' } },
  { probe: 'predefined-role', reason: 'pg_read_all_data granted to the application role', coveredBy: { file: 'test/integration/managed.test.ts', test: 'flags pg_read_all_data granted to the application role, in lint and in verify' } },
  { probe: 'citus-target', reason: citus, coveredBy: { file: 'test/integration/citus.test.ts', test: 'detects Citus from the database when the manifest does not target it, and reports the mismatch alone' } },
  { probe: 'citus-workers', reason: citus, coveredBy: { file: 'test/integration/citus.test.ts', test: 'fails on a one-worker cluster instead of proving both tenants on one node' } },
  { probe: 'citus-shards', reason: citus, coveredBy: { file: 'test/integration/citus.test.ts', test: 'lint reports, and verify fails naming, a shard opened up on a worker; the repro SQL reproduces on Citus' } },
];
