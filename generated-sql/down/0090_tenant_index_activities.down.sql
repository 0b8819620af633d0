-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.activities","index":["public","activities_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.activities.
DROP INDEX CONCURRENTLY IF EXISTS public.activities_company_id_tenant_idx;
