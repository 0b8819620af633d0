-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.campaigns"}
-- Rollback: public.campaigns back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.campaigns;
DROP FUNCTION IF EXISTS rlsgen.fill_public_campaigns_organization_id();
ALTER TABLE public.campaigns DROP CONSTRAINT IF EXISTS campaigns_organization_id_fkey;
ALTER TABLE public.campaigns DROP COLUMN IF EXISTS organization_id;
