-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"public.customer"}
-- public.customer (tenant table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for rental_app:
--   rows visible: its tenant's rows
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.store_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.store_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on public.customer, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0017_enable_policies_customer', ARRAY['public.customer']::regclass[], ARRAY[]::name[], ARRAY['rental_app']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON public.customer FROM rental_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.customer TO rental_app;
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['public.customer']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'rental_app');
  END LOOP;
END
$rlsgen$;

ALTER TABLE public.customer ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.customer FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON public.customer
  AS PERMISSIVE FOR SELECT TO rental_app
  USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_insert ON public.customer
  AS PERMISSIVE FOR INSERT TO rental_app
  WITH CHECK (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_update ON public.customer
  AS PERMISSIVE FOR UPDATE TO rental_app
  USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint)
  WITH CHECK (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_delete ON public.customer
  AS PERMISSIVE FOR DELETE TO rental_app
  USING (store_id = NULLIF(current_setting('app.store_id', true), '')::bigint);
