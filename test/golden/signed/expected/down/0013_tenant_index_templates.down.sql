-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.templates","index":["public","templates_organization_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.templates.
DROP INDEX CONCURRENTLY IF EXISTS public.templates_organization_id_tenant_idx;
