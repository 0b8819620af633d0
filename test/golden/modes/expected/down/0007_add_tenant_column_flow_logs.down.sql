-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.flow_logs"}
-- Rollback: public.flow_logs back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.flow_logs;
DROP FUNCTION IF EXISTS rlsgen.fill_public_flow_logs_organization_id();
ALTER TABLE public.flow_logs DROP CONSTRAINT IF EXISTS flow_logs_organization_id_fkey;
ALTER TABLE public.flow_logs DROP COLUMN IF EXISTS organization_id;
