-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.payment"}
-- public.payment: add the tenant column store_id (bigint) and its foreign key to public.stores; new rows take
-- the tenant from the session variable app.store_id.
--
-- Locks: ACCESS EXCLUSIVE on public.payment for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row), the default is
-- set in a second statement and applies to new rows only, and the foreign key
-- is NOT VALID (checked for new rows now, validated later without blocking).
-- SHARE ROW EXCLUSIVE on public.stores for the foreign key.
-- Every statement runs under lock_timeout; rlsgen apply retries on timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment ADD COLUMN IF NOT EXISTS store_id bigint;
ALTER TABLE public.payment ALTER COLUMN store_id SET DEFAULT NULLIF(current_setting('app.store_id', true), '')::bigint;
ALTER TABLE public.payment ADD CONSTRAINT payment_store_id_fkey
  FOREIGN KEY (store_id) REFERENCES public.stores (id) NOT VALID;

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
