-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.workflow_executions"}
-- Rollback: public.workflow_executions back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.workflow_executions;
DROP FUNCTION IF EXISTS rlsgen.fill_public_workflow_executions_company_id();
ALTER TABLE public.workflow_executions DROP CONSTRAINT IF EXISTS workflow_executions_company_id_fkey;
ALTER TABLE public.workflow_executions DROP COLUMN IF EXISTS company_id;
