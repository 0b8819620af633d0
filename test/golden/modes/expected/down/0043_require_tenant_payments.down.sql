-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.payments"}
-- Rollback: drop the foreign key and the NOT NULL check of public.payments.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payments DROP CONSTRAINT IF EXISTS payments_organization_id_not_null_check;
ALTER TABLE public.payments DROP CONSTRAINT IF EXISTS payments_organization_id_fkey;
