-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.whatsapp_api_logs"}
-- Rollback: drop the composite foreign keys of public.whatsapp_api_logs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.whatsapp_api_logs DROP CONSTRAINT IF EXISTS whatsapp_api_logs_campaign_id_tenant_fkey;
ALTER TABLE public.whatsapp_api_logs DROP CONSTRAINT IF EXISTS whatsapp_api_logs_job_id_tenant_fkey;
