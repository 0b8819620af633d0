-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Rollback: grants on exempt tables as they were before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

REVOKE ALL ON public.organizations FROM wa_signed_app;
REVOKE ALL ON public.users FROM wa_signed_app;
