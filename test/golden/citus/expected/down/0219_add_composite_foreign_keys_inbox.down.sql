-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.inbox"}
-- Rollback: drop the composite foreign keys of public.inbox.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.inbox DROP CONSTRAINT IF EXISTS inbox_user_id_tenant_fkey;
ALTER TABLE public.inbox DROP CONSTRAINT IF EXISTS inbox_conversation_id_tenant_fkey;
