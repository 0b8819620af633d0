-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.payment"}
-- Rollback: drop the foreign key and the NOT NULL check of public.payment.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment DROP CONSTRAINT IF EXISTS payment_store_id_not_null_check;
ALTER TABLE public.payment DROP CONSTRAINT IF EXISTS payment_store_id_fkey;
