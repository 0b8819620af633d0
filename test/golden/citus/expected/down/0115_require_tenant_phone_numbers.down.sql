-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.phone_numbers"}
-- Rollback: drop the NOT NULL check of public.phone_numbers.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.phone_numbers DROP CONSTRAINT IF EXISTS phone_numbers_company_id_not_null_check;
