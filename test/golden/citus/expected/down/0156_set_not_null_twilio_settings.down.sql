-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.twilio_settings"}
-- Rollback: company_id of public.twilio_settings nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.twilio_settings ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.twilio_settings ADD CONSTRAINT twilio_settings_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.twilio_settings VALIDATE CONSTRAINT twilio_settings_company_id_not_null;
