-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.activities"}
-- Rollback: drop the composite foreign keys of public.activities.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.activities DROP CONSTRAINT IF EXISTS activities_user_id_tenant_fkey;
ALTER TABLE public.activities DROP CONSTRAINT IF EXISTS activities_deal_id_tenant_fkey;
