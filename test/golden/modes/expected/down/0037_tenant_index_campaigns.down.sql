-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.campaigns","index":["public","campaigns_organization_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.campaigns.
DROP INDEX CONCURRENTLY IF EXISTS public.campaigns_organization_id_id_key;
