-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.customers"}
-- Rollback: drop the NOT NULL check of public.customers.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.customers DROP CONSTRAINT IF EXISTS customers_organization_id_not_null_check;
