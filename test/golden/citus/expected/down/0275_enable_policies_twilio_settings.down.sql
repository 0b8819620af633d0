-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.twilio_settings"}
-- Rollback: row-level security off for public.twilio_settings, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.twilio_settings;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.twilio_settings;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.twilio_settings;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.twilio_settings;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.twilio_settings;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0275_enable_policies_twilio_settings', ARRAY['crm_app', 'crm_support']::name[]);
