-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.audit_logs"}
-- Rollback: drop the composite foreign keys of public.audit_logs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.audit_logs DROP CONSTRAINT IF EXISTS audit_logs_user_id_tenant_fkey;
