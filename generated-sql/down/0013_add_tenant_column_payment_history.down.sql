-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.payment_history"}
-- Rollback: public.payment_history back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_history ALTER COLUMN company_id DROP DEFAULT;
