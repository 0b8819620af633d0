-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.customer"}
-- Rollback: store_id of public.customer nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.customer ALTER COLUMN store_id DROP NOT NULL;
ALTER TABLE public.customer ADD CONSTRAINT customer_store_id_not_null
  CHECK (store_id IS NOT NULL) NOT VALID;
ALTER TABLE public.customer VALIDATE CONSTRAINT customer_store_id_not_null;
