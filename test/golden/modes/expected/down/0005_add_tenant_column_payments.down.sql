-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.payments"}
-- Rollback: public.payments back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.payments;
DROP FUNCTION IF EXISTS rlsgen.fill_public_payments_organization_id();
ALTER TABLE public.payments DROP CONSTRAINT IF EXISTS payments_organization_id_fkey;
ALTER TABLE public.payments DROP COLUMN IF EXISTS organization_id;
