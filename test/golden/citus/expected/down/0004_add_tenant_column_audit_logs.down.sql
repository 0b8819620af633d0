-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.audit_logs"}
-- Rollback: public.audit_logs back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.audit_logs;
DROP FUNCTION IF EXISTS rlsgen.fill_public_audit_logs_company_id();
ALTER TABLE public.audit_logs DROP CONSTRAINT IF EXISTS audit_logs_company_id_fkey;
ALTER TABLE public.audit_logs DROP COLUMN IF EXISTS company_id;
