-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.campaigns"}
-- Rollback: drop the composite foreign keys of public.campaigns.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.campaigns DROP CONSTRAINT IF EXISTS campaigns_created_by_tenant_fkey;
