-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.email_templates","index":["public","email_templates_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.email_templates.
DROP INDEX CONCURRENTLY IF EXISTS public.email_templates_company_id_tenant_idx;
