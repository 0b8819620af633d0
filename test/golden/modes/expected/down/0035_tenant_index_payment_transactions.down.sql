-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.payment_transactions","index":["public","payment_transactions_organization_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.payment_transactions.
DROP INDEX CONCURRENTLY IF EXISTS public.payment_transactions_organization_id_tenant_idx;
