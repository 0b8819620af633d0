-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.users"}
-- public.users (tenant table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for wa_app:
--   rows visible: its tenant's rows
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.company_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.company_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on public.users, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0092_enable_policies_users', ARRAY['public.users']::regclass[], ARRAY[]::name[], ARRAY['wa_app', 'wa_admin']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.users FROM wa_app;
GRANT SELECT ON public.users TO wa_app;
REVOKE ALL ON public.users FROM wa_admin;
GRANT SELECT ON public.users TO wa_admin;

ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.users
  AS PERMISSIVE FOR SELECT TO wa_app
  USING (organization_id = NULLIF(current_setting('app.company_id', true), '')::uuid);
CREATE POLICY rlsgen_cross_tenant_read ON public.users
  AS PERMISSIVE FOR SELECT TO wa_admin
  USING (true);
