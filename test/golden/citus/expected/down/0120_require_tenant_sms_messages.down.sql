-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.sms_messages"}
-- Rollback: drop the NOT NULL check of public.sms_messages.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sms_messages DROP CONSTRAINT IF EXISTS sms_messages_company_id_not_null_check;
