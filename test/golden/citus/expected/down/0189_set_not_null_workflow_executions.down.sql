-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.workflow_executions"}
-- Rollback: company_id of public.workflow_executions nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0189_set_not_null_workflow_executions' AND s.kind = 'not_null') THEN
    ALTER TABLE public.workflow_executions ALTER COLUMN company_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0189_set_not_null_workflow_executions' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.workflow_executions ADD CONSTRAINT workflow_executions_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.workflow_executions VALIDATE CONSTRAINT workflow_executions_company_id_not_null_check;
