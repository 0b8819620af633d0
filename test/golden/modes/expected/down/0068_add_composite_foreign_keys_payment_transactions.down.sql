-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.payment_transactions"}
-- Rollback: drop the composite foreign keys of public.payment_transactions.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_transactions DROP CONSTRAINT IF EXISTS payment_transactions_payment_id_tenant_fkey;
