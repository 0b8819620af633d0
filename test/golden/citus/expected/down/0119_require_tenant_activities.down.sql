-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.activities"}
-- Rollback: drop the NOT NULL check of public.activities.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.activities DROP CONSTRAINT IF EXISTS activities_company_id_not_null_check;
