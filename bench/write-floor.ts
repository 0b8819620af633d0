/**
 * The machine's floor for a migration's stall: while the old application
 * runs, a session that writes nothing but WAL-logged inserts into a table of
 * its own, at a given rate of WAL bytes per second (the rate a migration
 * produced), for a given time. No migration, no lock, no row the
 * application touches: what the application's longest statement is then,
 * the disk's commit latency under that much writing, is what any online
 * migration writing as fast gets at best on this machine.
 */
import { type ConnectionInfo, withClient } from '../src/db/server.js';
import { walBytesSince, walPosition } from './bench-support.js';

/** One batch: 2,000 rows of about 150 bytes, about 0.4 MB of WAL. */
const BATCH =
  "INSERT INTO rlsgen_bench_floor (id, pad, ref) SELECT g, repeat('x', 80), md5(g::text)::uuid FROM generate_series($1::bigint, $1::bigint + 1999) AS g";

/**
 * Inserts batches, each its own transaction (a commit, as a backfill's batch
 * is), pausing whenever the WAL written is ahead of `bytesPerSecond`, until
 * `durationMs` has passed. Returns the WAL bytes it wrote.
 */
export async function writeAtRate(connection: ConnectionInfo, bytesPerSecond: number, durationMs: number): Promise<number> {
  return withClient(connection, async (c) => {
    // Autovacuum off: the run writes and nothing else (the bench drops the database afterwards, outside the measured time).
    await c.query('CREATE TABLE rlsgen_bench_floor (id bigint, pad text, ref uuid) WITH (autovacuum_enabled = off)');
    const start = await walPosition(c);
    const began = performance.now();
    let next = 0;
    let written = 0;
    while (performance.now() - began < durationMs) {
      await c.query(BATCH, [next]);
      next += 2000;
      written = await walBytesSince(c, start);
      const dueMs = (written / Math.max(1, bytesPerSecond)) * 1000 - (performance.now() - began);
      if (dueMs > 0) await new Promise((r) => setTimeout(r, Math.min(dueMs, durationMs)));
    }
    return written;
  });
}
