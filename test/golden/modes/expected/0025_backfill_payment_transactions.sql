-- rlsgen: {"step":"backfill","stage":"prepare","table":"public.payment_transactions"}
-- postgres-migrations disable-transaction
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- public.payment_transactions: give existing rows their tenant, in batches of primary-key
-- ranges, each batch its own short transaction. The tenant of a row is:
--   (SELECT h3.organization_id FROM public.payments AS h1 JOIN public.orders AS h2 ON h2.id = h1.order_id JOIN public.customers AS h3 ON h3.id = h2.customer_id WHERE h1.id = t.payment_id)
-- (for row t; the first path that resolves wins, ambiguous matches resolve to nothing).
-- Rows no path resolves keep a NULL tenant and are counted at the end.
--
-- Locks: row locks on one batch at a time, under lock_timeout; no table lock
-- beyond ROW EXCLUSIVE. Runs outside a transaction (the procedure commits
-- per batch); rlsgen apply sets the session timeouts. Resumable: a killed
-- run continues after the last committed batch.
CALL rlsgen.backfill(
  'public.payment_transactions',
  'id',
  'organization_id',
  '(SELECT h3.organization_id FROM public.payments AS h1 JOIN public.orders AS h2 ON h2.id = h1.order_id JOIN public.customers AS h3 ON h3.id = h2.customer_id WHERE h1.id = t.payment_id)',
  5000,
  '2s'
);
