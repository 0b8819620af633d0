-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.payment_transactions"}
-- Rollback: the single-column foreign keys of public.payment_transactions back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.payment_transactions ADD CONSTRAINT payment_transactions_payment_id_fkey
  FOREIGN KEY (payment_id) REFERENCES public.payments (id) NOT VALID;
ALTER TABLE public.payment_transactions VALIDATE CONSTRAINT payment_transactions_payment_id_fkey;
