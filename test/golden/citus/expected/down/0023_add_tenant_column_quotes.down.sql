-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.quotes"}
-- Rollback: public.quotes back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.quotes;
DROP FUNCTION IF EXISTS rlsgen.fill_public_quotes_company_id();
ALTER TABLE public.quotes DROP CONSTRAINT IF EXISTS quotes_company_id_fkey;
ALTER TABLE public.quotes DROP COLUMN IF EXISTS company_id;
