-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.payment","index":["public","payment_store_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.payment.
DROP INDEX CONCURRENTLY IF EXISTS public.payment_store_id_tenant_idx;
