-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.sms_templates","index":["public","sms_templates_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.sms_templates.
DROP INDEX CONCURRENTLY IF EXISTS public.sms_templates_company_id_tenant_idx;
