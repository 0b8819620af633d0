-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.calls","index":["public","calls_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.calls.
DROP INDEX CONCURRENTLY IF EXISTS public.calls_company_id_id_key;
