-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.customers"}
-- Rollback: drop the composite foreign keys of public.customers.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.customers DROP CONSTRAINT IF EXISTS customers_owner_id_tenant_fkey;
