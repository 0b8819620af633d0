-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.jobs"}
-- Rollback: public.jobs back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.jobs;
DROP FUNCTION IF EXISTS rlsgen.fill_public_jobs_organization_id();
ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_organization_id_fkey;
ALTER TABLE public.jobs DROP COLUMN IF EXISTS organization_id;
