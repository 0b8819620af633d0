-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.quotes"}
-- Rollback: drop the composite foreign keys of public.quotes.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.quotes DROP CONSTRAINT IF EXISTS quotes_owner_id_tenant_fkey;
ALTER TABLE public.quotes DROP CONSTRAINT IF EXISTS quotes_deal_id_tenant_fkey;
