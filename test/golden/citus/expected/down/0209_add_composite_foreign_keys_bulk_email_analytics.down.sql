-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.bulk_email_analytics"}
-- Rollback: drop the composite foreign keys of public.bulk_email_analytics.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.bulk_email_analytics DROP CONSTRAINT IF EXISTS bulk_email_analytics_campaign_id_tenant_fkey;
