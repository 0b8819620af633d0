-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.zoho_mappings"}
-- Rollback: public.zoho_mappings back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.zoho_mappings;
DROP FUNCTION IF EXISTS rlsgen.fill_public_zoho_mappings_organization_id();
ALTER TABLE public.zoho_mappings DROP CONSTRAINT IF EXISTS zoho_mappings_organization_id_fkey;
ALTER TABLE public.zoho_mappings DROP COLUMN IF EXISTS organization_id;
