-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.emails"}
-- Rollback: drop the foreign key and the NOT NULL check of public.emails.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.emails DROP CONSTRAINT IF EXISTS emails_company_id_not_null_check;
ALTER TABLE public.emails DROP CONSTRAINT IF EXISTS emails_company_id_fkey;
