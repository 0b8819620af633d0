-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.sms_templates"}
-- Rollback: row-level security off for public.sms_templates, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.sms_templates;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.sms_templates;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0282_enable_policies_sms_templates', ARRAY['crm_app', 'crm_support']::name[]);
