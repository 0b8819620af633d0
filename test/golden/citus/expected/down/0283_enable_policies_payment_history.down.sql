-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.payment_history"}
-- Rollback: row-level security off for public.payment_history, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.payment_history;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.payment_history;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.payment_history;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.payment_history;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.payment_history;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0283_enable_policies_payment_history', ARRAY['crm_app', 'crm_support']::name[]);
