-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.pipelines"}
-- Rollback: row-level security off for public.pipelines, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.pipelines;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.pipelines;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.pipelines;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.pipelines;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.pipelines;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0277_enable_policies_pipelines', ARRAY['crm_app', 'crm_support']::name[]);
