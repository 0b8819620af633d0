-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Tables deliberately NOT tenant-scoped. No row-level security: every role
-- granted access sees all their rows. Each is exempt for the reason the
-- manifest gives:
--   public.roles: the three role names (user, admin, super_admin), identical for every company; no tenant column and no reference to tenant data
--
-- The application role gets exactly the commands the manifest lists for them.
-- Locks: none beyond the catalog rows of the grants.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, for the rollback.
CALL rlsgen.save_access('0302_exempt_tables', ARRAY['public.roles']::regclass[], ARRAY[]::name[], ARRAY['crm_app']::name[]);
REVOKE ALL ON public.roles FROM crm_app;
GRANT SELECT ON public.roles TO crm_app;
