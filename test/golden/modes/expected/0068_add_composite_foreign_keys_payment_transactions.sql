-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.payment_transactions"}
-- public.payment_transactions: composite foreign keys (organization_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   payment_id -> public.payments
--
-- Locks: SHARE ROW EXCLUSIVE on public.payment_transactions and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_transactions ADD CONSTRAINT payment_transactions_payment_id_tenant_fkey
  FOREIGN KEY (organization_id, payment_id) REFERENCES public.payments (organization_id, id) NOT VALID;
