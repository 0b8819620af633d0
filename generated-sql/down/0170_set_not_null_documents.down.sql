-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.documents"}
-- Rollback: company_id of public.documents nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.documents ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.documents ADD CONSTRAINT documents_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.documents VALIDATE CONSTRAINT documents_company_id_not_null;
