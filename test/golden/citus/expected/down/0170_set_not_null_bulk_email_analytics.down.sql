-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.bulk_email_analytics"}
-- Rollback: company_id of public.bulk_email_analytics nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.bulk_email_analytics ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.bulk_email_analytics ADD CONSTRAINT bulk_email_analytics_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.bulk_email_analytics VALIDATE CONSTRAINT bulk_email_analytics_company_id_not_null;
