-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.customers","index":["public","customers_organization_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.customers.
DROP INDEX CONCURRENTLY IF EXISTS public.customers_organization_id_id_key;
