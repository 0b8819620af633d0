-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.orders","index":["public","orders_organization_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.orders.
DROP INDEX CONCURRENTLY IF EXISTS public.orders_organization_id_tenant_idx;
