-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.users"}
-- Rollback: row-level security off for public.users, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.users;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.users;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.users;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.users;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.users;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0272_enable_policies_users', ARRAY['crm_app', 'crm_support']::name[]);
