-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.companies"}
-- Rollback: row-level security off for public.companies, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.companies;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.companies;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0271_enable_policies_companies', ARRAY['crm_app', 'crm_support']::name[]);
