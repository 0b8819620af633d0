-- rlsgen: {"step":"lookups","stage":"enforce"}
-- Rollback of the lookups migration: the functions, the lookup role's column
-- privileges and policies exactly as they were before it. The lookup role
-- stays (roles are cluster-wide and may serve other databases).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP FUNCTION IF EXISTS rlsgen_lookup.user_by_email;
DROP FUNCTION IF EXISTS rlsgen_lookup.session_by_token;
REVOKE USAGE ON SCHEMA public FROM crm_app_lookup;
-- public.sessions
REVOKE ALL ON public.sessions FROM crm_app_lookup;
DROP POLICY IF EXISTS rlsgen_lookup_select ON public.sessions;
-- public.users
REVOKE ALL ON public.users FROM crm_app_lookup;
DROP POLICY IF EXISTS rlsgen_lookup_select ON public.users;

REVOKE USAGE ON SCHEMA rlsgen_lookup FROM crm_app;
DROP SCHEMA rlsgen_lookup;
