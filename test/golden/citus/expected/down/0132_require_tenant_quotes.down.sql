-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.quotes"}
-- Rollback: drop the foreign key and the NOT NULL check of public.quotes.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.quotes DROP CONSTRAINT IF EXISTS quotes_company_id_not_null_check;
ALTER TABLE public.quotes DROP CONSTRAINT IF EXISTS quotes_company_id_fkey;
