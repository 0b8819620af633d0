-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.inbox","index":["public","inbox_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.inbox.
DROP INDEX CONCURRENTLY IF EXISTS public.inbox_company_id_tenant_idx;
