-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.deals"}
-- Rollback: drop the composite foreign keys of public.deals.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.deals DROP CONSTRAINT IF EXISTS deals_owner_id_tenant_fkey;
ALTER TABLE public.deals DROP CONSTRAINT IF EXISTS deals_pipeline_id_tenant_fkey;
ALTER TABLE public.deals DROP CONSTRAINT IF EXISTS deals_contact_id_tenant_fkey;
