import type { LookupProbe, ObjectProbe, Probe, RoleProbe, TableProbe, TenantTableProbe } from './probe.js';
import { childPolicies } from './probes/child-policies.js';
import { citusShards } from './probes/citus-shards.js';
import { citusTarget } from './probes/citus-target.js';
import { citusWorkers } from './probes/citus-workers.js';
import { count } from './probes/count.js';
import { crossRead } from './probes/cross-read.js';
import { crossWrite } from './probes/cross-write.js';
import { definerFunction } from './probes/definer-function.js';
import { deleteOther } from './probes/delete-other.js';
import { empty } from './probes/empty.js';
import { exemptTenantData } from './probes/exempt-tenant-data.js';
import { exemptTenantReference } from './probes/exempt-tenant-reference.js';
import { globalRead } from './probes/global-read.js';
import { globalWrite } from './probes/global-write.js';
import { hop } from './probes/hop.js';
import { insertOther } from './probes/insert-other.js';
import { join } from './probes/join.js';
import { legacyOwner } from './probes/legacy-owner.js';
import { lookups } from './probes/lookups.js';
import { malformed } from './probes/malformed.js';
import { materializedView } from './probes/materialized-view.js';
import { predefinedRole } from './probes/predefined-role.js';
import { prepared } from './probes/prepared.js';
import { readOther } from './probes/read-other.js';
import { readOwn } from './probes/read-own.js';
import { reference } from './probes/reference.js';
import { returning } from './probes/returning.js';
import { roleAttributes } from './probes/role-attributes.js';
import { roleMembership } from './probes/role-membership.js';
import { rowSecurityOff } from './probes/row-security-off.js';
import { sequencePrivileges } from './probes/sequence-privileges.js';
import { setRoleOwner } from './probes/set-role-owner.js';
import { signedToken } from './probes/signed-token.js';
import { tenantRow } from './probes/tenant-row.js';
import { truncate } from './probes/truncate.js';
import { unsetFresh } from './probes/unset-fresh.js';
import { unsetPooled } from './probes/unset-pooled.js';
import { updateOther } from './probes/update-other.js';
import { upsert } from './probes/upsert.js';
import { viewSecurityInvoker } from './probes/view-security-invoker.js';

/**
 * Every verify probe, in the order they run and appear in the matrix. Each
 * has a file in src/verify/probes/, a page docs/verify/<id>.md and tests;
 * a new probe is a new file and one line here.
 */
export const PROBES: readonly Probe[] = [
  readOwn,
  readOther,
  count,
  join,
  unsetFresh,
  unsetPooled,
  empty,
  malformed,
  insertOther,
  updateOther,
  deleteOther,
  returning,
  hop,
  upsert,
  reference,
  truncate,
  rowSecurityOff,
  setRoleOwner,
  prepared,
  globalRead,
  globalWrite,
  legacyOwner,
  crossRead,
  crossWrite,
  signedToken,
  roleAttributes,
  roleMembership,
  citusTarget,
  citusWorkers,
  citusShards,
  predefinedRole,
  tenantRow,
  lookups,
  exemptTenantData,
  exemptTenantReference,
  childPolicies,
  viewSecurityInvoker,
  materializedView,
  definerFunction,
  sequencePrivileges,
];

export const TABLE_PROBES: readonly TableProbe[] = PROBES.filter((p): p is TableProbe => p.scope === 'table');
export const ROLE_PROBES: readonly RoleProbe[] = PROBES.filter((p): p is RoleProbe => p.scope === 'role');
export const TENANT_TABLE_PROBES: readonly TenantTableProbe[] = PROBES.filter((p): p is TenantTableProbe => p.scope === 'tenant-table');
export const LOOKUP_PROBES: readonly LookupProbe[] = PROBES.filter((p): p is LookupProbe => p.scope === 'lookup');
export const OBJECT_PROBES: readonly ObjectProbe[] = PROBES.filter((p): p is ObjectProbe => p.scope === 'object');

/** Matrix columns, in registry order: each groups the table probes that name it; a cell fails when any of its checks fails. */
export const MATRIX_COLUMNS: readonly { readonly title: string; readonly checks: readonly string[] }[] = [...new Set(TABLE_PROBES.map((p) => p.column))].map((title) => ({
  title,
  checks: TABLE_PROBES.filter((p) => p.column === title).map((p) => p.id),
}));
