-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.contacts"}
-- Rollback: drop the NOT NULL check of public.contacts.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.contacts DROP CONSTRAINT IF EXISTS contacts_company_id_not_null_check;
