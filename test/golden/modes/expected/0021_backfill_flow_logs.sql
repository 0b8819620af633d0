-- rlsgen: {"step":"backfill","stage":"prepare","table":"public.flow_logs"}
-- postgres-migrations disable-transaction
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- public.flow_logs: give existing rows their tenant, one range of primary keys
-- at a time (5000 rows), each batch its own short transaction. The
-- statement below is what each batch runs: $1 and $2 are the first and last
-- key of the batch, and each row's tenant is resolved once, by a join (the
-- first path that resolves wins; a non-key match that finds several tenants
-- resolves to nothing). Rows no path resolves keep a NULL tenant and are
-- counted at the end.
--
-- Locks: row locks on one batch at a time, under lock_timeout; no table lock
-- beyond ROW EXCLUSIVE. The tenant index and constraints come after this
-- file, so the update is a non-key update: it does not conflict with the KEY
-- SHARE locks of the application's foreign-key checks, and no foreign key is
-- checked row by row. Runs outside a transaction (the procedure commits per
-- batch); rlsgen apply sets the session timeouts. Resumable: a killed run
-- continues after the last committed batch.
-- Pacing: rlsgen apply --batch-size/--batch-pause, or while it runs:
--   UPDATE rlsgen.backfill_progress SET batch_size = 1000, batch_pause = '100ms'
--    WHERE table_name = 'public.flow_logs';
CALL rlsgen.backfill(
  'public.flow_logs',
  'id',
  'organization_id',
  'UPDATE public.flow_logs AS t
   SET organization_id = r.tenant
  FROM (SELECT s.id AS row_key, p1.tenant AS tenant
          FROM public.flow_logs AS s
          LEFT JOIN LATERAL (SELECT CASE WHEN count(DISTINCT h1.organization_id) = 1 THEN (array_agg(h1.organization_id) FILTER (WHERE h1.organization_id IS NOT NULL))[1] END AS tenant FROM public.customers AS h1 WHERE h1.wa_id = s.wa_id) AS p1 ON true
         WHERE s.id BETWEEN $1 AND $2
           AND s.organization_id IS NULL) AS r
 WHERE t.id = r.row_key
   AND t.id BETWEEN $1 AND $2
   AND t.organization_id IS NULL
   AND r.tenant IS NOT NULL',
  5000,
  '2s',
  '0'
);
