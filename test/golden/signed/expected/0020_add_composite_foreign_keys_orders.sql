-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.orders"}
-- public.orders: composite foreign keys (organization_id, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   customer_id -> public.customers
--
-- Locks: SHARE ROW EXCLUSIVE on public.orders and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.orders ADD CONSTRAINT orders_customer_id_tenant_fkey
  FOREIGN KEY (organization_id, customer_id) REFERENCES public.customers (organization_id, id) NOT VALID;
