-- rlsgen: {"step":"lookups","stage":"enforce"}
-- Rollback of the lookups migration: the functions, the lookup role's column
-- privileges and policies exactly as they were before it. The lookup role
-- stays (roles are cluster-wide and may serve other databases).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP FUNCTION IF EXISTS rlsgen_lookup.order_organization;
REVOKE USAGE ON SCHEMA public FROM wa_signed_app_lookup;
-- public.orders
REVOKE ALL ON public.orders FROM wa_signed_app_lookup;
DROP POLICY IF EXISTS rlsgen_lookup_select ON public.orders;

REVOKE USAGE ON SCHEMA rlsgen_lookup FROM wa_signed_app;
DROP SCHEMA rlsgen_lookup;
