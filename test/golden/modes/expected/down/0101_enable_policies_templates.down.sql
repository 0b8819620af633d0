-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.templates"}
-- Rollback: row-level security off for public.templates, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.templates;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.templates;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.templates;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.templates;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.templates;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0101_enable_policies_templates', ARRAY['wa_app', 'wa_admin']::name[]);
