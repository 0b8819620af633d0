-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.payments"}
-- public.payments: composite foreign keys (organization_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   order_id -> public.orders
--
-- Locks: SHARE ROW EXCLUSIVE on public.payments and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payments ADD CONSTRAINT payments_order_id_tenant_fkey
  FOREIGN KEY (organization_id, order_id) REFERENCES public.orders (organization_id, id) ON DELETE CASCADE NOT VALID;
