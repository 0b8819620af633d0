-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.workflow_executions","index":["public","workflow_executions_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.workflow_executions.
DROP INDEX CONCURRENTLY IF EXISTS public.workflow_executions_company_id_tenant_idx;
