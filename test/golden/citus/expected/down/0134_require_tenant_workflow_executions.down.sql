-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.workflow_executions"}
-- Rollback: drop the foreign key and the NOT NULL check of public.workflow_executions.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflow_executions DROP CONSTRAINT IF EXISTS workflow_executions_company_id_not_null_check;
ALTER TABLE public.workflow_executions DROP CONSTRAINT IF EXISTS workflow_executions_company_id_fkey;
