-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.customer"}
-- Rollback: public.customer back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.customer ALTER COLUMN store_id DROP DEFAULT;
