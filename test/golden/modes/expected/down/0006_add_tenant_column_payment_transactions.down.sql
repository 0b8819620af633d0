-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.payment_transactions"}
-- Rollback: public.payment_transactions back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.payment_transactions;
DROP FUNCTION IF EXISTS rlsgen.fill_public_payment_transactions_organization_id();
ALTER TABLE public.payment_transactions DROP CONSTRAINT IF EXISTS payment_transactions_organization_id_fkey;
ALTER TABLE public.payment_transactions DROP COLUMN IF EXISTS organization_id;
