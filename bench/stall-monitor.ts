import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ConnectionInfo } from '../src/db/server.js';
import { maxOf, type Sample } from './online-load.js';

/** What the server was doing at one instant, seen from pg_stat_activity (and /proc, where the server is local). */
interface Snapshot {
  readonly at: number;
  /** Wait events of the application's statements running for 50 ms or more: `Lock:transactionid`, `CPU` where none. */
  readonly appWaits: readonly string[];
  /** Background work then: `checkpointer:CheckpointWriteDelay`, `autovacuum: VACUUM public.calls`, `walwriter:...`. */
  readonly background: readonly string[];
  /** Dirty + writeback page cache of the machine in MiB (null where /proc/meminfo is not readable). */
  readonly dirtyMiB: number | null;
}

const SAMPLE = `
SELECT coalesce(array_agg(coalesce(wait_event_type || ':' || wait_event, 'CPU')) FILTER (WHERE application_name = 'old application' AND state = 'active' AND now() - query_start >= interval '50 ms'), '{}') AS app,
       coalesce(array_agg(CASE WHEN backend_type = 'autovacuum worker' THEN 'autovacuum: ' || left(query, 60)
                               ELSE backend_type || ':' || coalesce(wait_event, 'running') END)
                FILTER (WHERE backend_type IN ('checkpointer', 'autovacuum worker') AND (backend_type <> 'checkpointer' OR wait_event IS DISTINCT FROM 'CheckpointerMain')), '{}') AS background
  FROM pg_stat_activity`;

function dirtyMiB(): number | null {
  try {
    const text = readFileSync('/proc/meminfo', 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return Math.round((kb('Dirty') + kb('Writeback')) / 1024);
  } catch {
    return null;
  }
}

/**
 * Samples the server every `periodMs` while a migration runs, so that each
 * long application statement can be put beside what the server was doing:
 * a lock wait points at the migration's locking, `CPU` or an I/O wait beside
 * a checkpoint, an autovacuum or a large dirty page cache points at the
 * machine's I/O, which a hand-written script meets too.
 */
export function startStallMonitor(connection: ConnectionInfo, periodMs = 20): { stop: () => Promise<readonly Snapshot[]> } {
  const snapshots: Snapshot[] = [];
  let running = true;
  const client = new pg.Client({ ...connection, application_name: 'stall monitor' });
  client.on('error', () => undefined);
  const loop = (async () => {
    await client.connect();
    while (running) {
      const at = performance.now();
      const { rows } = await client.query<{ app: string[]; background: string[] }>(SAMPLE);
      snapshots.push({ at, appWaits: rows[0]?.app ?? [], background: rows[0]?.background ?? [], dirtyMiB: dirtyMiB() });
      const wait = periodMs - (performance.now() - at);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })().catch(() => undefined); // a sampler that lost its server only ends the sampling
  let stopped: Promise<readonly Snapshot[]> | null = null;
  const stop = async (): Promise<readonly Snapshot[]> => {
    running = false;
    await loop;
    await client.end().catch(() => undefined);
    return snapshots;
  };
  // Idempotent, as the load's stop.
  return { stop: () => (stopped ??= stop()) };
}

/**
 * For the statements of `threshold` ms or more: the wait events seen on the
 * application's statements while they ran, the background work seen, and the
 * largest dirty page cache, counted over those statements.
 */
export function attributeStalls(samples: readonly Sample[], snapshots: readonly Snapshot[], threshold = 100): string {
  const long = samples.filter((s) => s.ms >= threshold);
  if (long.length === 0) return `no statement of ${threshold} ms or more`;
  const waits = new Map<string, number>();
  const background = new Map<string, number>();
  let dirty = 0;
  for (const s of long) {
    const seen = snapshots.filter((x) => x.at >= s.at && x.at <= s.at + s.ms);
    for (const w of new Set(seen.flatMap((x) => x.appWaits))) waits.set(w, (waits.get(w) ?? 0) + 1);
    for (const b of new Set(seen.flatMap((x) => x.background))) background.set(b, (background.get(b) ?? 0) + 1);
    dirty = Math.max(dirty, maxOf(seen.map((x) => x.dirtyMiB ?? 0)));
  }
  const list = (m: Map<string, number>): string =>
    m.size === 0 ? 'none' : [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n})`).join(', ');
  return `${long.length} statement(s) of ${threshold} ms or more; waits seen: ${list(waits)}; background work: ${list(background)}; dirty page cache up to ${dirty.toLocaleString('en-US')} MiB`;
}
