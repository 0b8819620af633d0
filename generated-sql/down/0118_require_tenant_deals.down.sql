-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.deals"}
-- Rollback: drop the NOT NULL check of public.deals.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.deals DROP CONSTRAINT IF EXISTS deals_company_id_not_null_check;
