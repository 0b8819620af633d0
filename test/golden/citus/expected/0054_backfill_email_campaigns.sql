-- rlsgen: {"step":"backfill","stage":"prepare","table":"public.email_campaigns"}
-- postgres-migrations disable-transaction
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- public.email_campaigns: give existing rows their tenant, one range of primary keys
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
--    WHERE table_name = 'public.email_campaigns';
CALL rlsgen.backfill(
  'public.email_campaigns',
  'id',
  'company_id',
  'UPDATE public.email_campaigns AS t
   SET company_id = h1.company_id
  FROM public.users AS h1
 WHERE t.id BETWEEN $1 AND $2
   AND t.company_id IS NULL
   AND h1.id = t.owner_id
   AND h1.company_id IS NOT NULL',
  5000,
  '2s',
  '0'
);
