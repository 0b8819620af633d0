-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.deals"}
-- Rollback: row-level security off for public.deals, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.deals;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.deals;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.deals;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.deals;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.deals;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0279_enable_policies_deals', ARRAY['crm_app', 'crm_support']::name[]);

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_deals_company_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_id := (SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = NEW.owner_id);
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_deals_company_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_company_id BEFORE INSERT ON public.deals
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_deals_company_id();
