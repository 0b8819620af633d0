-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.payment"}
-- Rollback: row-level security off for public.payment, grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON public.payment;
DROP POLICY IF EXISTS rlsgen_tenant_insert ON public.payment;
DROP POLICY IF EXISTS rlsgen_tenant_update ON public.payment;
DROP POLICY IF EXISTS rlsgen_tenant_delete ON public.payment;
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0018_enable_policies_payment', ARRAY['rental_app']::name[]);

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_payment_store_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.store_id IS NULL THEN
    NEW.store_id := (SELECT h1.store_id FROM public.customer AS h1 WHERE h1.customer_id = NEW.customer_id);
  END IF;
  RETURN NEW;
END
$rlsgen$;
CREATE TRIGGER rlsgen_fill_store_id BEFORE INSERT ON public.payment
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_payment_store_id();
