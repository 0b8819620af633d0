-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.document_signatures"}
-- Rollback: drop the foreign key and the NOT NULL check of public.document_signatures.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.document_signatures DROP CONSTRAINT IF EXISTS document_signatures_company_id_not_null_check;
ALTER TABLE public.document_signatures DROP CONSTRAINT IF EXISTS document_signatures_company_id_fkey;
