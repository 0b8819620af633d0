-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.sms_templates"}
-- Rollback: company_id of public.sms_templates nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sms_templates ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.sms_templates ADD CONSTRAINT sms_templates_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.sms_templates VALIDATE CONSTRAINT sms_templates_company_id_not_null;
