-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.bulk_email_analytics"}
-- Rollback: company_id of public.bulk_email_analytics nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0184_set_not_null_bulk_email_analytics' AND s.kind = 'not_null') THEN
    ALTER TABLE public.bulk_email_analytics ALTER COLUMN company_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0184_set_not_null_bulk_email_analytics' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.bulk_email_analytics ADD CONSTRAINT bulk_email_analytics_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.bulk_email_analytics VALIDATE CONSTRAINT bulk_email_analytics_company_id_not_null_check;
