-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.orders"}
-- Rollback: drop the foreign key and the NOT NULL check of public.orders.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_organization_id_not_null_check;
ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_organization_id_fkey;
