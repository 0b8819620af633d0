-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.activities"}
-- Rollback: row-level security off for public.activities, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.activities;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.activities;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.activities;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.activities;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.activities;
ALTER TABLE public.activities NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.activities DISABLE ROW LEVEL SECURITY;
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
       AND d.refobjid = 'public.activities'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('REVOKE USAGE ON SEQUENCE %s FROM %I', seq.name, 'crm_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.activities FROM crm_app;
REVOKE ALL ON public.activities FROM crm_support;

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_activities_company_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_id := (SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = NEW.user_id);
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_activities_company_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_company_id BEFORE INSERT ON public.activities
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_activities_company_id();
