-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.bulk_email_analytics","index":["public","bulk_email_analytics_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.bulk_email_analytics.
DROP INDEX CONCURRENTLY IF EXISTS public.bulk_email_analytics_company_id_tenant_idx;
