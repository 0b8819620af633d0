-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.orders"}
-- Rollback: the single-column foreign keys of public.orders back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.orders ADD CONSTRAINT orders_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES public.customers (id) NOT VALID;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_customer_id_fkey;
