-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.customer"}
-- Rollback: row-level security off for public.customer, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.customer;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.customer;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.customer;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.customer;
ALTER TABLE public.customer NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customer DISABLE ROW LEVEL SECURITY;
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
       AND d.refobjid = 'public.customer'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('REVOKE USAGE ON SEQUENCE %s FROM %I', seq.name, 'rental_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.customer FROM rental_app;
