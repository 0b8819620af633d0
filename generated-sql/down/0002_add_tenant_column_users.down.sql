-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.users"}
-- Rollback: public.users back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.users ALTER COLUMN company_id DROP DEFAULT;
