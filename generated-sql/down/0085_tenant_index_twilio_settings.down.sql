-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.twilio_settings","index":["public","twilio_settings_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.twilio_settings.
DROP INDEX CONCURRENTLY IF EXISTS public.twilio_settings_company_id_tenant_idx;
