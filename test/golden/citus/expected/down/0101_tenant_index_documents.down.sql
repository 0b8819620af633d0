-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.documents","index":["public","documents_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.documents.
DROP INDEX CONCURRENTLY IF EXISTS public.documents_company_id_id_key;
