-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.deals"}
-- Rollback: public.deals back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.deals;
DROP FUNCTION IF EXISTS rlsgen.fill_public_deals_company_id();
ALTER TABLE public.deals ALTER COLUMN company_id DROP DEFAULT;
