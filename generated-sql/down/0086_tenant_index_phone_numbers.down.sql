-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.phone_numbers","index":["public","phone_numbers_company_id_tenant_idx"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.phone_numbers.
DROP INDEX CONCURRENTLY IF EXISTS public.phone_numbers_company_id_tenant_idx;
