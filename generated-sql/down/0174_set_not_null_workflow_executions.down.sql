-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.workflow_executions"}
-- Rollback: company_id of public.workflow_executions nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflow_executions ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.workflow_executions ADD CONSTRAINT workflow_executions_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.workflow_executions VALIDATE CONSTRAINT workflow_executions_company_id_not_null;
