-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.user_conversations"}
-- Rollback: drop the composite foreign keys of public.user_conversations.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.user_conversations DROP CONSTRAINT IF EXISTS user_conversations_user_id_tenant_fkey;
ALTER TABLE public.user_conversations DROP CONSTRAINT IF EXISTS user_conversations_contact_id_tenant_fkey;
