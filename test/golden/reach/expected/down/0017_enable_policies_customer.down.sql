-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.customer"}
-- Rollback: row-level security off for public.customer, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.customer;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.customer;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.customer;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.customer;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0017_enable_policies_customer', ARRAY['rental_app']::name[]);
