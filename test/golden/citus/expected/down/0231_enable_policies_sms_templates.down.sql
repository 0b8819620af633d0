-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.sms_templates"}
-- Rollback: row-level security off for public.sms_templates, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.sms_templates;
ALTER TABLE public.sms_templates NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.sms_templates DISABLE ROW LEVEL SECURITY;
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
       AND d.refobjid = 'public.sms_templates'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('REVOKE USAGE ON SEQUENCE %s FROM %I', seq.name, 'crm_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.sms_templates FROM crm_app;
REVOKE ALL ON public.sms_templates FROM crm_support;
