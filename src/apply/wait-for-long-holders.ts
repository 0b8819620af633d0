import type pg from 'pg';

/** A session holding a lock on the table a migration is about to lock, for longer than lock_timeout. */
export interface LongHolder {
  readonly pid: number;
  readonly application: string;
  readonly seconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Sessions other than this one holding any lock on the table (or a partition
// or child of it: DDL on the parent locks them too) in a transaction that has
// run longer than this session's lock_timeout. A lock request queued behind
// such a session would most likely time out, and while it waits every
// statement of the application on the table queues behind it
// (https://www.postgresql.org/docs/current/explicit-locking.html: a lock
// request conflicts with the requests waiting before it, not only with the
// locks held). Sessions of other roles show no xact_start without
// pg_read_all_stats: they count as short, as they would without this wait.
const LONG_HOLDERS = `
WITH RECURSIVE tree AS (
  SELECT to_regclass($1)::oid AS oid
  UNION
  SELECT i.inhrelid FROM pg_catalog.pg_inherits AS i JOIN tree AS t ON i.inhparent = t.oid
)
SELECT DISTINCT a.pid, a.application_name AS application,
       pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - COALESCE(a.xact_start, a.query_start))::float8 AS seconds
  FROM tree
  JOIN pg_catalog.pg_locks AS l ON l.locktype = 'relation' AND l.relation = tree.oid AND l.granted
  JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
 WHERE l.pid <> pg_catalog.pg_backend_pid()
   AND pg_catalog.current_setting('lock_timeout')::interval > interval '0'
   AND pg_catalog.clock_timestamp() - COALESCE(a.xact_start, a.query_start) > pg_catalog.current_setting('lock_timeout')::interval
 ORDER BY seconds DESC`;

/**
 * Before a file takes a lock that blocks the application, waits (polling,
 * without queueing for the lock) while a long transaction holds a lock on its
 * table: a report running for minutes would make the lock request wait its
 * full lock_timeout, and the application wait behind it, on every retry.
 * Gives up waiting after `maxWaitMs` and lets lock_timeout and retry handle
 * it. `onWait` is told the holders once, when the wait starts.
 */
export async function waitForLongHolders(
  client: pg.Client,
  table: string,
  options: { readonly maxWaitMs: number; readonly pollMs?: number; readonly onWait: (holders: readonly LongHolder[]) => void },
): Promise<void> {
  const deadline = Date.now() + options.maxWaitMs;
  let announced = false;
  for (;;) {
    // pg_stat_activity is read once per transaction unless the snapshot is dropped.
    await client.query('SELECT pg_catalog.pg_stat_clear_snapshot()');
    const { rows } = await client.query<LongHolder>(LONG_HOLDERS, [table]);
    if (rows.length === 0 || Date.now() >= deadline) return;
    if (!announced) {
      options.onWait(rows);
      announced = true;
    }
    await sleep(options.pollMs ?? 100);
  }
}
