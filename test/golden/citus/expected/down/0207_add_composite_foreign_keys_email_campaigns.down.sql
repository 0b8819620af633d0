-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.email_campaigns"}
-- Rollback: drop the composite foreign keys of public.email_campaigns.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.email_campaigns DROP CONSTRAINT IF EXISTS email_campaigns_owner_id_tenant_fkey;
