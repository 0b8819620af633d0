-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.audit_logs"}
-- Rollback: drop the foreign key of public.audit_logs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.audit_logs DROP CONSTRAINT IF EXISTS audit_logs_company_id_fkey;
