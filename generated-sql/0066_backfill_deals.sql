-- rlsgen: {"step":"backfill","stage":"prepare","table":"public.deals"}
-- postgres-migrations disable-transaction
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- public.deals: give existing rows their tenant, in batches of primary-key
-- ranges, each batch its own short transaction. The tenant of a row is:
--   (SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = t.owner_id)
-- (for row t; the first path that resolves wins, ambiguous matches resolve to nothing).
-- Rows no path resolves keep a NULL tenant and are counted at the end.
--
-- Locks: row locks on one batch at a time, under lock_timeout; no table lock
-- beyond ROW EXCLUSIVE. Runs outside a transaction (the procedure commits
-- per batch); rlsgen apply sets the session timeouts. Resumable: a killed
-- run continues after the last committed batch.
CALL rlsgen.backfill(
  'public.deals',
  'id',
  'company_id',
  '(SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = t.owner_id)',
  5000,
  '2s'
);
