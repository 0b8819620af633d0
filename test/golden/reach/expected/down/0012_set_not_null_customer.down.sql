-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.customer"}
-- Rollback: store_id of public.customer nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0012_set_not_null_customer' AND s.kind = 'not_null') THEN
    ALTER TABLE public.customer ALTER COLUMN store_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0012_set_not_null_customer' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.customer ADD CONSTRAINT customer_store_id_not_null_check
  CHECK (store_id IS NOT NULL) NOT VALID;
ALTER TABLE public.customer VALIDATE CONSTRAINT customer_store_id_not_null_check;
