-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.templates"}
-- public.templates (shared table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for wa_app:
--   rows visible: its tenant's rows, plus global rows (NULL tenant), read-only
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.company_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.company_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on public.templates, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0101_enable_policies_templates', ARRAY['public.templates']::regclass[], ARRAY[]::name[], ARRAY['wa_app', 'wa_admin']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.templates FROM wa_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.templates TO wa_app;
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['public.templates']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'wa_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.templates FROM wa_admin;
GRANT SELECT ON public.templates TO wa_admin;

ALTER TABLE public.templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.templates FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.templates
  AS PERMISSIVE FOR SELECT TO wa_app
  USING ((organization_id = NULLIF(current_setting('app.company_id', true), '')::uuid) OR organization_id IS NULL);
CREATE POLICY rlsgen_tenant_insert ON public.templates
  AS PERMISSIVE FOR INSERT TO wa_app
  WITH CHECK (organization_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_update ON public.templates
  AS PERMISSIVE FOR UPDATE TO wa_app
  USING (organization_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
  WITH CHECK (organization_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_delete ON public.templates
  AS PERMISSIVE FOR DELETE TO wa_app
  USING (organization_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_cross_tenant_read ON public.templates
  AS PERMISSIVE FOR SELECT TO wa_admin
  USING (true);
