-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.performance_alerts"}
-- public.performance_alerts (tenant table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for crm_app:
--   rows visible: its tenant's rows
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.company_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.company_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on public.performance_alerts, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The application fills the tenant itself now: the fill trigger goes.
DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.performance_alerts;
DROP FUNCTION IF EXISTS rlsgen.fill_public_performance_alerts_company_id();

-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.performance_alerts FROM crm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.performance_alerts TO crm_app;
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
       AND d.refobjid = 'public.performance_alerts'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq.name, 'crm_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.performance_alerts FROM crm_support;
GRANT SELECT ON public.performance_alerts TO crm_support;

ALTER TABLE public.performance_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.performance_alerts FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.performance_alerts
  AS PERMISSIVE FOR SELECT TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_insert ON public.performance_alerts
  AS PERMISSIVE FOR INSERT TO crm_app
  WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_update ON public.performance_alerts
  AS PERMISSIVE FOR UPDATE TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
  WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_delete ON public.performance_alerts
  AS PERMISSIVE FOR DELETE TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_cross_tenant_read ON public.performance_alerts
  AS PERMISSIVE FOR SELECT TO crm_support
  USING (true);
