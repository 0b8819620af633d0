-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.payment_transactions"}
-- Rollback: drop the foreign key and the NOT NULL check of public.payment_transactions.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_transactions DROP CONSTRAINT IF EXISTS payment_transactions_organization_id_not_null_check;
ALTER TABLE public.payment_transactions DROP CONSTRAINT IF EXISTS payment_transactions_organization_id_fkey;
