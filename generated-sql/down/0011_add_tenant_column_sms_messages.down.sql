-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.sms_messages"}
-- Rollback: public.sms_messages back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.sms_messages;
DROP FUNCTION IF EXISTS rlsgen.fill_public_sms_messages_company_id();
ALTER TABLE public.sms_messages ALTER COLUMN company_id DROP DEFAULT;
