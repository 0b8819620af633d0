-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.bulk_email_campaigns"}
-- Rollback: drop the foreign key and the NOT NULL check of public.bulk_email_campaigns.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.bulk_email_campaigns DROP CONSTRAINT IF EXISTS bulk_email_campaigns_company_id_not_null_check;
ALTER TABLE public.bulk_email_campaigns DROP CONSTRAINT IF EXISTS bulk_email_campaigns_company_id_fkey;
