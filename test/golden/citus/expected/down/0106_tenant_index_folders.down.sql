-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.folders","index":["public","folders_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.folders.
DROP INDEX CONCURRENTLY IF EXISTS public.folders_company_id_id_key;
