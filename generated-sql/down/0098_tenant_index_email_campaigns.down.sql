-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.email_campaigns","index":["public","email_campaigns_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.email_campaigns.
DROP INDEX CONCURRENTLY IF EXISTS public.email_campaigns_company_id_tenant_idx;
