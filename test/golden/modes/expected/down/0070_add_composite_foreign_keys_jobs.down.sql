-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.jobs"}
-- Rollback: drop the composite foreign keys of public.jobs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_campaign_id_tenant_fkey;
