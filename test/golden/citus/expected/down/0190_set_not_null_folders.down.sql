-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.folders"}
-- Rollback: company_id of public.folders nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0190_set_not_null_folders' AND s.kind = 'not_null') THEN
    ALTER TABLE public.folders ALTER COLUMN company_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0190_set_not_null_folders' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.folders ADD CONSTRAINT folders_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.folders VALIDATE CONSTRAINT folders_company_id_not_null_check;
