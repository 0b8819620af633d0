-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.document_signatures","index":["public","document_signatures_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.document_signatures.
DROP INDEX CONCURRENTLY IF EXISTS public.document_signatures_company_id_tenant_idx;
