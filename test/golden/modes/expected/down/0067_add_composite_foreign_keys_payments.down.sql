-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.payments"}
-- Rollback: drop the composite foreign keys of public.payments.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payments DROP CONSTRAINT IF EXISTS payments_order_id_tenant_fkey;
