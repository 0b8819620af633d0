-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"public.contacts","index":["public","contacts_company_id_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of public.contacts.
DROP INDEX CONCURRENTLY IF EXISTS public.contacts_company_id_id_key;
