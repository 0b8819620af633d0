-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.orders"}
-- Rollback: drop the composite foreign keys of public.orders.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_customer_id_tenant_fkey;
