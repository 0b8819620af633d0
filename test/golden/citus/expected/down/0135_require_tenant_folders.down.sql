-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.folders"}
-- Rollback: drop the foreign key and the NOT NULL check of public.folders.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.folders DROP CONSTRAINT IF EXISTS folders_company_id_not_null_check;
ALTER TABLE public.folders DROP CONSTRAINT IF EXISTS folders_company_id_fkey;
