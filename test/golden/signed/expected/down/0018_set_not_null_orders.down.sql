-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.orders"}
-- Rollback: organization_id of public.orders nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0018_set_not_null_orders' AND s.kind = 'not_null') THEN
    ALTER TABLE public.orders ALTER COLUMN organization_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0018_set_not_null_orders' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.orders ADD CONSTRAINT orders_organization_id_not_null_check
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_organization_id_not_null_check;
