-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.customers"}
-- Rollback: public.customers back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.customers;
DROP FUNCTION IF EXISTS rlsgen.fill_public_customers_organization_id();
ALTER TABLE public.customers ALTER COLUMN organization_id DROP DEFAULT;
