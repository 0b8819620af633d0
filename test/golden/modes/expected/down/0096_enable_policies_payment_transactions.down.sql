-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.payment_transactions"}
-- Rollback: row-level security off for public.payment_transactions, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.payment_transactions;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.payment_transactions;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.payment_transactions;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.payment_transactions;
DROP POLICY IF EXISTS rlsgen_cross_tenant_read ON public.payment_transactions;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0096_enable_policies_payment_transactions', ARRAY['wa_app', 'wa_admin']::name[]);

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_payment_transactions_organization_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.organization_id IS NULL THEN
    NEW.organization_id := (SELECT h3.organization_id FROM public.payments AS h1 JOIN public.orders AS h2 ON h2.id = h1.order_id JOIN public.customers AS h3 ON h3.id = h2.customer_id WHERE h1.id = NEW.payment_id);
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_payment_transactions_organization_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_organization_id BEFORE INSERT ON public.payment_transactions
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_payment_transactions_organization_id();
