-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.zoho_mappings"}
-- Rollback: row-level security off for public.zoho_mappings, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.zoho_mappings;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.zoho_mappings;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.zoho_mappings;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.zoho_mappings;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.zoho_mappings;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0102_enable_policies_zoho_mappings', ARRAY['wa_app', 'wa_admin']::name[]);

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_zoho_mappings_organization_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.organization_id IS NULL THEN
    NEW.organization_id := (SELECT h1.organization_id FROM public.users AS h1 WHERE h1.id = NEW.created_by);
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_zoho_mappings_organization_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_organization_id BEFORE INSERT ON public.zoho_mappings
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_zoho_mappings_organization_id();
