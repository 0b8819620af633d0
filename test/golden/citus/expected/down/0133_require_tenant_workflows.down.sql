-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.workflows"}
-- Rollback: drop the foreign key and the NOT NULL check of public.workflows.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflows DROP CONSTRAINT IF EXISTS workflows_company_id_not_null_check;
ALTER TABLE public.workflows DROP CONSTRAINT IF EXISTS workflows_company_id_fkey;
