-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.orders"}
-- Rollback: row-level security off for public.orders, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.orders;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.orders;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.orders;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.orders;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.orders;
ALTER TABLE public.orders NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.orders DISABLE ROW LEVEL SECURITY;
-- Sequences owned by the table's columns (serial, identity): inserts need USAGE.
DO $rlsgen$
DECLARE
  seq record;
BEGIN
  FOR seq IN
    SELECT d.objid::regclass AS name
      FROM pg_catalog.pg_depend AS d
      JOIN pg_catalog.pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
     WHERE d.classid = 'pg_catalog.pg_class'::regclass
       AND d.refobjid = 'public.orders'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('REVOKE USAGE ON SEQUENCE %s FROM %I', seq.name, 'wa_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.orders FROM wa_app;
REVOKE ALL ON public.orders FROM wa_admin;

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_orders_organization_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.organization_id IS NULL THEN
    NEW.organization_id := (SELECT h1.organization_id FROM public.customers AS h1 WHERE h1.id = NEW.customer_id);
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_orders_organization_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_organization_id BEFORE INSERT ON public.orders
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_orders_organization_id();
