-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.jobs"}
-- Rollback: drop the foreign key and the NOT NULL check of public.jobs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_organization_id_not_null_check;
ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_organization_id_fkey;
