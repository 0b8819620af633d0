-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.document_signatures"}
-- Rollback: company_id of public.document_signatures nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.document_signatures ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.document_signatures ADD CONSTRAINT document_signatures_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.document_signatures VALIDATE CONSTRAINT document_signatures_company_id_not_null;
