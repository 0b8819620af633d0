-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.calls"}
-- Rollback: drop the foreign key and the NOT NULL check of public.calls.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.calls DROP CONSTRAINT IF EXISTS calls_company_id_not_null_check;
ALTER TABLE public.calls DROP CONSTRAINT IF EXISTS calls_company_id_fkey;
