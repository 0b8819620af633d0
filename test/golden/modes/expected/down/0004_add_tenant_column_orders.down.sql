-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.orders"}
-- Rollback: public.orders back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.orders;
DROP FUNCTION IF EXISTS rlsgen.fill_public_orders_organization_id();
ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_organization_id_fkey;
ALTER TABLE public.orders DROP COLUMN IF EXISTS organization_id;
