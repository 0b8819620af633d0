-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.customer"}
-- Rollback: drop the NOT NULL check of public.customer.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.customer DROP CONSTRAINT IF EXISTS customer_store_id_not_null_check;
