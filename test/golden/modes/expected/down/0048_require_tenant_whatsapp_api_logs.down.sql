-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.whatsapp_api_logs"}
-- Rollback: drop the foreign key of public.whatsapp_api_logs.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.whatsapp_api_logs DROP CONSTRAINT IF EXISTS whatsapp_api_logs_organization_id_fkey;
