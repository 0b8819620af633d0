-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.campaigns"}
-- Rollback: drop the foreign key and the NOT NULL check of public.campaigns.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.campaigns DROP CONSTRAINT IF EXISTS campaigns_organization_id_not_null_check;
ALTER TABLE public.campaigns DROP CONSTRAINT IF EXISTS campaigns_organization_id_fkey;
