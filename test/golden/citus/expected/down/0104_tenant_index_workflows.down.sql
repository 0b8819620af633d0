-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.workflows","index":["public","workflows_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.workflows.
DROP INDEX CONCURRENTLY IF EXISTS public.workflows_company_id_id_key;
