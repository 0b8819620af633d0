-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.documents"}
-- Rollback: drop the foreign key and the NOT NULL check of public.documents.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.documents DROP CONSTRAINT IF EXISTS documents_company_id_not_null_check;
ALTER TABLE public.documents DROP CONSTRAINT IF EXISTS documents_company_id_fkey;
