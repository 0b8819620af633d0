-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.orders"}
-- public.orders: now that the backfill has run, add the foreign key
-- of organization_id to public.organizations and stop here if any row is still without a tenant, then
-- add CHECK (organization_id IS NOT NULL), NOT VALID: new rows are checked from now
-- on, existing rows are validated in the next migration without blocking
-- writes, and the validated check lets SET NOT NULL skip its table scan.
--
-- Locks: ACCESS SHARE while counting (reads and writes continue; the tenant
-- index answers it), then ACCESS EXCLUSIVE on public.orders and SHARE ROW
-- EXCLUSIVE on public.organizations for the catalog changes only, under
-- lock_timeout.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the count takes as long as the table is big.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  missing bigint;
BEGIN
  SELECT count(*) INTO missing FROM public.orders WHERE organization_id IS NULL;
  IF missing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % have no % and no backfill path resolves them', missing, 'public.orders', 'organization_id'
      USING HINT = 'rlsgen audit lists them. Give them a tenant and apply again, or set "unresolved: keep" for this table in the manifest.';
  END IF;
END
$rlsgen$;
ALTER TABLE public.orders ADD CONSTRAINT orders_organization_id_fkey
  FOREIGN KEY (organization_id) REFERENCES public.organizations (id) NOT VALID;
ALTER TABLE public.orders ADD CONSTRAINT orders_organization_id_not_null_check
  CHECK (organization_id IS NOT NULL) NOT VALID;
