-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.zoho_mappings","index":["public","zoho_mappings_organization_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.zoho_mappings.
DROP INDEX CONCURRENTLY IF EXISTS public.zoho_mappings_organization_id_tenant_idx;
