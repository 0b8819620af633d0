-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.notifications"}
-- Rollback: drop the composite foreign keys of public.notifications.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.notifications DROP CONSTRAINT IF EXISTS notifications_user_id_tenant_fkey;
