-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.bulk_email_campaigns"}
-- Rollback: drop the composite foreign keys of public.bulk_email_campaigns.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.bulk_email_campaigns DROP CONSTRAINT IF EXISTS bulk_email_campaigns_user_id_tenant_fkey;
