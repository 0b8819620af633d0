-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.notifications","index":["public","notifications_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.notifications.
DROP INDEX CONCURRENTLY IF EXISTS public.notifications_company_id_tenant_idx;
