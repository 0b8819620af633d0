-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.inbox"}
-- Rollback: drop the foreign key and the NOT NULL check of public.inbox.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.inbox DROP CONSTRAINT IF EXISTS inbox_company_id_not_null_check;
ALTER TABLE public.inbox DROP CONSTRAINT IF EXISTS inbox_company_id_fkey;
