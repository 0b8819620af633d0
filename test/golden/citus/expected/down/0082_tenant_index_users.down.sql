-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.users","index":["public","users_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.users.
DROP INDEX CONCURRENTLY IF EXISTS public.users_company_id_id_key;
