-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.calls"}
-- Rollback: public.calls back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.calls;
DROP FUNCTION IF EXISTS rlsgen.fill_public_calls_company_id();
ALTER TABLE public.calls DROP CONSTRAINT IF EXISTS calls_company_id_fkey;
ALTER TABLE public.calls DROP COLUMN IF EXISTS company_id;
