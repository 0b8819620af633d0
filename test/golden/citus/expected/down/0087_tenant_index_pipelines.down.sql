-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.pipelines","index":["public","pipelines_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.pipelines.
DROP INDEX CONCURRENTLY IF EXISTS public.pipelines_company_id_id_key;
