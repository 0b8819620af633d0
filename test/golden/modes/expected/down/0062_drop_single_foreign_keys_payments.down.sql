-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.payments"}
-- Rollback: the single-column foreign keys of public.payments back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.payments ADD CONSTRAINT payments_order_id_fkey
  FOREIGN KEY (order_id) REFERENCES public.orders (id) ON DELETE CASCADE NOT VALID;
ALTER TABLE public.payments VALIDATE CONSTRAINT payments_order_id_fkey;
