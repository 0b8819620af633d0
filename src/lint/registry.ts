import type { LintRule } from './rule.js';
import { banAppRoleBypass } from './rules/ban-app-role-bypass.js';
import { banAppRoleEscalation } from './rules/ban-app-role-escalation.js';
import { banAppRoleOwner } from './rules/ban-app-role-owner.js';
import { banAppRolePredefined } from './rules/ban-app-role-predefined.js';
import { banAppRoleTemporary } from './rules/ban-app-role-temporary.js';
import { banCitusPolicySublink } from './rules/ban-citus-policy-sublink.js';
import { banCitusRestrictivePolicy } from './rules/ban-citus-restrictive-policy.js';
import { banDefaultPrivilegesGrant } from './rules/ban-default-privileges-grant.js';
import { banDefinerTenantAccess } from './rules/ban-definer-tenant-access.js';
import { banExemptTenantData } from './rules/ban-exempt-tenant-data.js';
import { banExemptTenantReference } from './rules/ban-exempt-tenant-reference.js';
import { banFkExistenceOracle } from './rules/ban-fk-existence-oracle.js';
import { banImmutableTenantFunction } from './rules/ban-immutable-tenant-function.js';
import { banLeakproofFunction } from './rules/ban-leakproof-function.js';
import { banMixedTenantBinding } from './rules/ban-mixed-tenant-binding.js';
import { banMultiplePermissive } from './rules/ban-multiple-permissive.js';
import { banPermissiveTrue } from './rules/ban-permissive-true.js';
import { banPublicBypassingDefiner } from './rules/ban-public-bypassing-definer.js';
import { banReachableChildWithoutRls } from './rules/ban-reachable-child-without-rls.js';
import { banRoleKeyedPolicy } from './rules/ban-role-keyed-policy.js';
import { banSingleColumnTenantFk } from './rules/ban-single-column-tenant-fk.js';
import { banTenantMaterializedView } from './rules/ban-tenant-materialized-view.js';
import { banUniqueWithoutTenant } from './rules/ban-unique-without-tenant.js';
import { preferInitplanFunction } from './rules/prefer-initplan-function.js';
import { requireChildPolicies } from './rules/require-child-policies.js';
import { requireCitusColocation } from './rules/require-citus-colocation.js';
import { requireCitusSetPropagation } from './rules/require-citus-set-propagation.js';
import { requireCitusShardPolicies } from './rules/require-citus-shard-policies.js';
import { requireDefinerSearchPath } from './rules/require-definer-search-path.js';
import { requireManifestCoverage } from './rules/require-manifest-coverage.js';
import { requirePolicy } from './rules/require-policy.js';
import { requireRlsEnabled } from './rules/require-rls-enabled.js';
import { requireRlsForced } from './rules/require-rls-forced.js';
import { requireSafeSettingRead } from './rules/require-safe-setting-read.js';
import { requireSecurityInvokerView } from './rules/require-security-invoker-view.js';
import { requireTenantBoundCheck } from './rules/require-tenant-bound-check.js';
import { requireTenantIndex } from './rules/require-tenant-index.js';
import { requireTenantPredicate } from './rules/require-tenant-predicate.js';
import { requireTrustedRlsgenSchema } from './rules/require-trusted-rlsgen-schema.js';
import { requireUniqueLookupKey } from './rules/require-unique-lookup-key.js';
import { requireWithCheck } from './rules/require-with-check.js';

/** Every lint rule, by id. Each has a page docs/lint/<id>.md and tests (test/integration/lint.test.ts; the Citus ones in test/unit/citus.test.ts and, on a real cluster, test/integration/citus.test.ts). */
export const RULES: readonly LintRule[] = [
  banAppRoleBypass,
  banAppRoleEscalation,
  banAppRoleOwner,
  banAppRolePredefined,
  banAppRoleTemporary,
  banCitusPolicySublink,
  banCitusRestrictivePolicy,
  banDefaultPrivilegesGrant,
  banDefinerTenantAccess,
  banExemptTenantData,
  banExemptTenantReference,
  banFkExistenceOracle,
  banImmutableTenantFunction,
  banLeakproofFunction,
  banMixedTenantBinding,
  banMultiplePermissive,
  banPermissiveTrue,
  banPublicBypassingDefiner,
  banReachableChildWithoutRls,
  banRoleKeyedPolicy,
  banSingleColumnTenantFk,
  banTenantMaterializedView,
  banUniqueWithoutTenant,
  preferInitplanFunction,
  requireChildPolicies,
  requireCitusColocation,
  requireCitusSetPropagation,
  requireCitusShardPolicies,
  requireDefinerSearchPath,
  requireManifestCoverage,
  requirePolicy,
  requireRlsEnabled,
  requireRlsForced,
  requireSafeSettingRead,
  requireSecurityInvokerView,
  requireTenantBoundCheck,
  requireTenantIndex,
  requireTenantPredicate,
  requireTrustedRlsgenSchema,
  requireUniqueLookupKey,
  requireWithCheck,
];
