-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.payment"}
-- Rollback: store_id of public.payment nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0013_set_not_null_payment' AND s.kind = 'not_null') THEN
    ALTER TABLE public.payment ALTER COLUMN store_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0013_set_not_null_payment' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.payment ADD CONSTRAINT payment_store_id_not_null_check
  CHECK (store_id IS NOT NULL) NOT VALID;
ALTER TABLE public.payment VALIDATE CONSTRAINT payment_store_id_not_null_check;
