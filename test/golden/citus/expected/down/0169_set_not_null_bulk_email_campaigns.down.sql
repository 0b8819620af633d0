-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.bulk_email_campaigns"}
-- Rollback: company_id of public.bulk_email_campaigns nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.bulk_email_campaigns ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.bulk_email_campaigns ADD CONSTRAINT bulk_email_campaigns_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.bulk_email_campaigns VALIDATE CONSTRAINT bulk_email_campaigns_company_id_not_null;
