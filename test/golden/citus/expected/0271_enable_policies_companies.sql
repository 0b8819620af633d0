-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.companies"}
-- public.companies (tenant table table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for crm_app:
--   rows visible: its own row only (the tenant table: id = the current tenant)
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.company_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.company_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on public.companies, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0271_enable_policies_companies', ARRAY['public.companies']::regclass[], ARRAY[]::name[], ARRAY['crm_app', 'crm_support']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.companies FROM crm_app;
GRANT SELECT ON public.companies TO crm_app;
REVOKE ALL ON public.companies FROM crm_support;
GRANT SELECT ON public.companies TO crm_support;

ALTER TABLE public.companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.companies FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.companies
  AS PERMISSIVE FOR SELECT TO crm_app
  USING (id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_cross_tenant_read ON public.companies
  AS PERMISSIVE FOR SELECT TO crm_support
  USING (true);
