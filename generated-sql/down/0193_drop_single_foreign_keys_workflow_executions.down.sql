-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.workflow_executions"}
-- Rollback: the single-column foreign keys of public.workflow_executions back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.workflow_executions ADD CONSTRAINT workflow_executions_workflow_id_fkey
  FOREIGN KEY (workflow_id) REFERENCES public.workflows (id) NOT VALID;
ALTER TABLE public.workflow_executions VALIDATE CONSTRAINT workflow_executions_workflow_id_fkey;
