-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.payment"}
-- Rollback: public.payment back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_store_id ON public.payment;
DROP FUNCTION IF EXISTS rlsgen.fill_public_payment_store_id();
ALTER TABLE public.payment DROP CONSTRAINT IF EXISTS payment_store_id_fkey;
ALTER TABLE public.payment DROP COLUMN IF EXISTS store_id;
