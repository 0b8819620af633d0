-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.workflow_executions"}
-- public.workflow_executions: composite foreign keys (company_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   workflow_id -> public.workflows
--
-- Locks: SHARE ROW EXCLUSIVE on public.workflow_executions and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflow_executions ADD CONSTRAINT workflow_executions_workflow_id_tenant_fkey
  FOREIGN KEY (company_id, workflow_id) REFERENCES public.workflows (company_id, id) NOT VALID;
