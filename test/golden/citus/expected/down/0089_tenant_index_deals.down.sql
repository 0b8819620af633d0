-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.deals","index":["public","deals_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.deals.
DROP INDEX CONCURRENTLY IF EXISTS public.deals_company_id_id_key;
