-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Tables deliberately NOT tenant-scoped. No row-level security: every role
-- granted access sees all their rows. Each is exempt for the reason the
-- manifest gives:
--   public.stores: the tenant table; the application reads its store through the session
--   public.film: the catalogue every store rents from
--
-- The application role gets exactly the commands the manifest lists for them.
-- Locks: none beyond the catalog rows of the grants.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, for the rollback.
CALL rlsgen.save_access('0019_exempt_tables', ARRAY['public.stores', 'public.film']::regclass[], ARRAY[]::name[], ARRAY['rental_app']::name[]);
REVOKE ALL ON public.stores FROM rental_app;
REVOKE ALL ON public.film FROM rental_app;
GRANT SELECT ON public.film TO rental_app;
