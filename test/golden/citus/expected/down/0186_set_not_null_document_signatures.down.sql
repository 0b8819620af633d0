-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.document_signatures"}
-- Rollback: company_id of public.document_signatures nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0186_set_not_null_document_signatures' AND s.kind = 'not_null') THEN
    ALTER TABLE public.document_signatures ALTER COLUMN company_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0186_set_not_null_document_signatures' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.document_signatures ADD CONSTRAINT document_signatures_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.document_signatures VALIDATE CONSTRAINT document_signatures_company_id_not_null_check;
