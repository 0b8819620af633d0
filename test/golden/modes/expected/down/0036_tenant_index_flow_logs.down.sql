-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.flow_logs","index":["public","flow_logs_organization_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.flow_logs.
DROP INDEX CONCURRENTLY IF EXISTS public.flow_logs_organization_id_tenant_idx;
