-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.customer","index":["public","customer_store_id_customer_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.customer.
DROP INDEX CONCURRENTLY IF EXISTS public.customer_store_id_customer_id_key;
