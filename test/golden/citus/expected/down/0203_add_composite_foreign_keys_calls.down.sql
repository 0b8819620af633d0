-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.calls"}
-- Rollback: drop the composite foreign keys of public.calls.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.calls DROP CONSTRAINT IF EXISTS calls_user_id_tenant_fkey;
ALTER TABLE public.calls DROP CONSTRAINT IF EXISTS calls_contact_id_tenant_fkey;
