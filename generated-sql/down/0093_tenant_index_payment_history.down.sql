-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.payment_history","index":["public","payment_history_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.payment_history.
DROP INDEX CONCURRENTLY IF EXISTS public.payment_history_company_id_tenant_idx;
