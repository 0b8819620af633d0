-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.workflows"}
-- Rollback: public.workflows back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.workflows;
DROP FUNCTION IF EXISTS rlsgen.fill_public_workflows_company_id();
ALTER TABLE public.workflows DROP CONSTRAINT IF EXISTS workflows_company_id_fkey;
ALTER TABLE public.workflows DROP COLUMN IF EXISTS company_id;
