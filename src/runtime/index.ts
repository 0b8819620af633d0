/**
 * `rlsgen/runtime`: the application half. Every query runs inside
 * `withTenant`, in a transaction whose first statement sets the tenant
 * transaction-locally, so a pooled connection never carries one request's
 * tenant into another's (and PgBouncer's transaction pooling just works).
 */
export {
  type ContextMode,
  createTenantPool,
  TenantContextError,
  type TenantContextOptions,
  TenantPool,
  withTenant,
  type WithTenantOptions,
} from './tenant-pool.js';
export { formatTenantId, TenantIdError, type TenantIdOf, type TenantIdType } from './tenant-id.js';
export { readTenantToken, readUserToken, signTenantToken, signUserToken, type TokenClaims, type UserTokenClaims } from './signed-token.js';
export { lookup, type LookupKey, type LookupName, type LookupRow, lookupSql, type LookupTypes } from './lookup.js';
