-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.emails","index":["public","emails_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.emails.
DROP INDEX CONCURRENTLY IF EXISTS public.emails_company_id_tenant_idx;
