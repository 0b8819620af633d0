-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.files"}
-- Rollback: company_id of public.files nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.files ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.files ADD CONSTRAINT files_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.files VALIDATE CONSTRAINT files_company_id_not_null;
