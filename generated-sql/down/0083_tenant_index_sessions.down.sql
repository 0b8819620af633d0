-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.sessions","index":["public","sessions_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.sessions.
DROP INDEX CONCURRENTLY IF EXISTS public.sessions_company_id_tenant_idx;
