-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.quotes","index":["public","quotes_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.quotes.
DROP INDEX CONCURRENTLY IF EXISTS public.quotes_company_id_tenant_idx;
