-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.sessions"}
-- Rollback: drop the composite foreign keys of public.sessions.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.sessions DROP CONSTRAINT IF EXISTS sessions_user_id_tenant_fkey;
