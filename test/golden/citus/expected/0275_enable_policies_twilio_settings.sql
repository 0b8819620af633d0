-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.twilio_settings"}
-- public.twilio_settings (tenant table): row-level security on, enabled and FORCED
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
-- Locks: ACCESS EXCLUSIVE on public.twilio_settings, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0275_enable_policies_twilio_settings', ARRAY['public.twilio_settings']::regclass[], ARRAY[]::name[], ARRAY['crm_app', 'crm_support']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.twilio_settings FROM crm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.twilio_settings TO crm_app;
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['public.twilio_settings']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'crm_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.twilio_settings FROM crm_support;
GRANT SELECT ON public.twilio_settings TO crm_support;

ALTER TABLE public.twilio_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.twilio_settings FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.twilio_settings
  AS PERMISSIVE FOR SELECT TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_insert ON public.twilio_settings
  AS PERMISSIVE FOR INSERT TO crm_app
  WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_update ON public.twilio_settings
  AS PERMISSIVE FOR UPDATE TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
  WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_delete ON public.twilio_settings
  AS PERMISSIVE FOR DELETE TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_cross_tenant_read ON public.twilio_settings
  AS PERMISSIVE FOR SELECT TO crm_support
  USING (true);
