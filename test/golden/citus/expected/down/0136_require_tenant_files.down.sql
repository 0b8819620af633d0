-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.files"}
-- Rollback: drop the foreign key and the NOT NULL check of public.files.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.files DROP CONSTRAINT IF EXISTS files_company_id_not_null_check;
ALTER TABLE public.files DROP CONSTRAINT IF EXISTS files_company_id_fkey;
