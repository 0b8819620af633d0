-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Rollback: grants on exempt tables as they were before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

REVOKE ALL ON public.companies FROM crm_app;
REVOKE ALL ON public.users FROM crm_app;
REVOKE ALL ON public.roles FROM crm_app;
REVOKE ALL ON public.audit_logs FROM crm_app;
REVOKE ALL ON public.sessions FROM crm_app;
