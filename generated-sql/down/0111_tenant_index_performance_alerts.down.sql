-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.performance_alerts","index":["public","performance_alerts_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.performance_alerts.
DROP INDEX CONCURRENTLY IF EXISTS public.performance_alerts_company_id_tenant_idx;
