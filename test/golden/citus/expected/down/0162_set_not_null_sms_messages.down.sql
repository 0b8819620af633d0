-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.sms_messages"}
-- Rollback: company_id of public.sms_messages nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sms_messages ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.sms_messages ADD CONSTRAINT sms_messages_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.sms_messages VALIDATE CONSTRAINT sms_messages_company_id_not_null;
