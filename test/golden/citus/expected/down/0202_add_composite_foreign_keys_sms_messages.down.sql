-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.sms_messages"}
-- Rollback: drop the composite foreign keys of public.sms_messages.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sms_messages DROP CONSTRAINT IF EXISTS sms_messages_user_id_tenant_fkey;
ALTER TABLE public.sms_messages DROP CONSTRAINT IF EXISTS sms_messages_contact_id_tenant_fkey;
