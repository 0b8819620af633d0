-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.email_campaigns"}
-- Rollback: drop the foreign key and the NOT NULL check of public.email_campaigns.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.email_campaigns DROP CONSTRAINT IF EXISTS email_campaigns_company_id_not_null_check;
ALTER TABLE public.email_campaigns DROP CONSTRAINT IF EXISTS email_campaigns_company_id_fkey;
