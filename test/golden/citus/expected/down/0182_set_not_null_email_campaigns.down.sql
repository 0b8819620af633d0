-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.email_campaigns"}
-- Rollback: company_id of public.email_campaigns nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0182_set_not_null_email_campaigns' AND s.kind = 'not_null') THEN
    ALTER TABLE public.email_campaigns ALTER COLUMN company_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0182_set_not_null_email_campaigns' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.email_campaigns ADD CONSTRAINT email_campaigns_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.email_campaigns VALIDATE CONSTRAINT email_campaigns_company_id_not_null_check;
