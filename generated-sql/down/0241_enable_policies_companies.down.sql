-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.companies"}
-- Rollback: row-level security off for public.companies, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.companies;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.companies;
ALTER TABLE public.companies NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.companies DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.companies FROM crm_app;
REVOKE ALL ON public.companies FROM crm_support;
