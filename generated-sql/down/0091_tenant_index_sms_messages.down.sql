-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.sms_messages","index":["public","sms_messages_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.sms_messages.
DROP INDEX CONCURRENTLY IF EXISTS public.sms_messages_company_id_tenant_idx;
