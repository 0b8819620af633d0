-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.sms_templates"}
-- Rollback: company_id of public.sms_templates nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0177_set_not_null_sms_templates' AND s.kind = 'not_null') THEN
    ALTER TABLE public.sms_templates ALTER COLUMN company_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0177_set_not_null_sms_templates' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.sms_templates ADD CONSTRAINT sms_templates_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.sms_templates VALIDATE CONSTRAINT sms_templates_company_id_not_null_check;
