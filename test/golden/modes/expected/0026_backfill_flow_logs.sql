-- rlsgen: {"step":"backfill","stage":"prepare","table":"public.flow_logs"}
-- postgres-migrations disable-transaction
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- public.flow_logs: give existing rows their tenant, in batches of primary-key
-- ranges, each batch its own short transaction. The tenant of a row is:
--   (SELECT CASE WHEN count(DISTINCT h1.organization_id) = 1 THEN (array_agg(h1.organization_id) FILTER (WHERE h1.organization_id IS NOT NULL))[1] END FROM public.customers AS h1 WHERE h1.wa_id = t.wa_id)
-- (for row t; the first path that resolves wins, ambiguous matches resolve to nothing).
-- Rows no path resolves keep a NULL tenant and are counted at the end.
--
-- Locks: row locks on one batch at a time, under lock_timeout; no table lock
-- beyond ROW EXCLUSIVE. Runs outside a transaction (the procedure commits
-- per batch); rlsgen apply sets the session timeouts. Resumable: a killed
-- run continues after the last committed batch.
CALL rlsgen.backfill(
  'public.flow_logs',
  'id',
  'organization_id',
  '(SELECT CASE WHEN count(DISTINCT h1.organization_id) = 1 THEN (array_agg(h1.organization_id) FILTER (WHERE h1.organization_id IS NOT NULL))[1] END FROM public.customers AS h1 WHERE h1.wa_id = t.wa_id)',
  5000,
  '2s'
);
