-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.whatsapp_api_logs","index":["public","whatsapp_api_logs_organization_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.whatsapp_api_logs.
DROP INDEX CONCURRENTLY IF EXISTS public.whatsapp_api_logs_organization_id_tenant_idx;
