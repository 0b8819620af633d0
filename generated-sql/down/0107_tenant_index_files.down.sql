-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.files","index":["public","files_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.files.
DROP INDEX CONCURRENTLY IF EXISTS public.files_company_id_tenant_idx;
