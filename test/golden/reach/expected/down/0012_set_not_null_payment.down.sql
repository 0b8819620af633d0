-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.payment"}
-- Rollback: store_id of public.payment nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment ALTER COLUMN store_id DROP NOT NULL;
ALTER TABLE public.payment ADD CONSTRAINT payment_store_id_not_null
  CHECK (store_id IS NOT NULL) NOT VALID;
ALTER TABLE public.payment VALIDATE CONSTRAINT payment_store_id_not_null;
