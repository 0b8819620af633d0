-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.workflow_executions"}
-- Rollback: drop the composite foreign keys of public.workflow_executions.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflow_executions DROP CONSTRAINT IF EXISTS workflow_executions_workflow_id_tenant_fkey;
