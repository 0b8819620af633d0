-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.audit_logs","index":["public","audit_logs_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.audit_logs.
DROP INDEX CONCURRENTLY IF EXISTS public.audit_logs_company_id_tenant_idx;
