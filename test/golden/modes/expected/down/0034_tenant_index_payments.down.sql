-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.payments","index":["public","payments_organization_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.payments.
DROP INDEX CONCURRENTLY IF EXISTS public.payments_organization_id_id_key;
