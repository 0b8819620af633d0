-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.quotes"}
-- public.quotes (tenant table): row-level security on, enabled and FORCED
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
-- Locks: ACCESS EXCLUSIVE on public.quotes, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The application fills the tenant itself now: the fill trigger goes.
DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.quotes;
DROP FUNCTION IF EXISTS rlsgen.fill_public_quotes_company_id();

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0293_enable_policies_quotes', ARRAY['public.quotes']::regclass[], ARRAY[]::name[], ARRAY['crm_app', 'crm_support']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.quotes FROM crm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.quotes TO crm_app;
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['public.quotes']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'crm_app');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON public.quotes FROM crm_support;
GRANT SELECT ON public.quotes TO crm_support;

ALTER TABLE public.quotes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.quotes FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.quotes
  AS PERMISSIVE FOR SELECT TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_insert ON public.quotes
  AS PERMISSIVE FOR INSERT TO crm_app
  WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_update ON public.quotes
  AS PERMISSIVE FOR UPDATE TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
  WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_tenant_delete ON public.quotes
  AS PERMISSIVE FOR DELETE TO crm_app
  USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_cross_tenant_read ON public.quotes
  AS PERMISSIVE FOR SELECT TO crm_support
  USING (true);
