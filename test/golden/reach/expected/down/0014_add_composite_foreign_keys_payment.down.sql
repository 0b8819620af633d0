-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.payment"}
-- Rollback: drop the composite foreign keys of public.payment.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment DROP CONSTRAINT IF EXISTS payment_customer_id_tenant_fkey;
