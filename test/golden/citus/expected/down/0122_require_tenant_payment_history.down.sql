-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.payment_history"}
-- Rollback: drop the NOT NULL check of public.payment_history.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_history DROP CONSTRAINT IF EXISTS payment_history_company_id_not_null_check;
