-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Tables deliberately NOT tenant-scoped. No row-level security: every role
-- granted access sees all their rows. Each is exempt for the reason the
-- manifest gives:
--   public.organizations: the tenant table
--   public.users: sign-in
--
-- The application role gets exactly the commands the manifest lists for them.
-- Locks: none beyond the catalog rows of the grants.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, for the rollback.
CALL rlsgen.save_access('0023_exempt_tables', ARRAY['public.organizations', 'public.users']::regclass[], ARRAY[]::name[], ARRAY['wa_signed_app']::name[]);
REVOKE ALL ON public.organizations FROM wa_signed_app;
GRANT SELECT ON public.organizations TO wa_signed_app;
REVOKE ALL ON public.users FROM wa_signed_app;
GRANT SELECT ON public.users TO wa_signed_app;
