-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Tables deliberately NOT tenant-scoped. No row-level security: every role
-- granted access sees all their rows. Each is exempt for the reason the
-- manifest gives:
--   public.companies: the tenant table itself; every company row is the root of one tenant
--   public.users: sign-in finds the user by email before any tenant is known, and super admins have no company
--   public.roles: system-wide role names, identical for every company
--   public.audit_logs: system-wide audit trail written by the platform and read by super admins only
--   public.sessions: looked up by token at sign-in, before a tenant is known
--
-- The application role gets exactly the commands the manifest lists for them.
-- Locks: none beyond the catalog rows of the grants.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, for the rollback.
CALL rlsgen.save_access('0251_exempt_tables', ARRAY['public.companies', 'public.users', 'public.roles', 'public.audit_logs', 'public.sessions']::regclass[], ARRAY[]::name[], ARRAY['crm_app']::name[]);
REVOKE ALL ON public.companies FROM crm_app;
GRANT SELECT ON public.companies TO crm_app;
REVOKE ALL ON public.users FROM crm_app;
GRANT SELECT, UPDATE ON public.users TO crm_app;
REVOKE ALL ON public.roles FROM crm_app;
GRANT SELECT ON public.roles TO crm_app;
REVOKE ALL ON public.audit_logs FROM crm_app;
GRANT INSERT ON public.audit_logs TO crm_app;
REVOKE ALL ON public.sessions FROM crm_app;
GRANT SELECT, INSERT, DELETE ON public.sessions TO crm_app;
