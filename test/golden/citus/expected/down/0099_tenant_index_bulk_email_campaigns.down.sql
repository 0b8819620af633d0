-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.bulk_email_campaigns","index":["public","bulk_email_campaigns_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.bulk_email_campaigns.
DROP INDEX CONCURRENTLY IF EXISTS public.bulk_email_campaigns_company_id_id_key;
