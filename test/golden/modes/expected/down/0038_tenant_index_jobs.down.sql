-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.jobs","index":["public","jobs_organization_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.jobs.
DROP INDEX CONCURRENTLY IF EXISTS public.jobs_organization_id_id_key;
