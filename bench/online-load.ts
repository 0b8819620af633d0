import pg from 'pg';
import type { ConnectionInfo } from '../src/db/server.js';
import { percentile } from './bench-support.js';

/** One statement of the application: when it was sent, how long it took, whether it failed. */
export interface Sample {
  readonly at: number;
  readonly ms: number;
  readonly ok: boolean;
  /** What the statement does: `update calls`. */
  readonly op: string;
  readonly error?: string;
}

export interface LoadShape {
  /** Rows of calls and contacts the bulk load made (the ids the application updates). */
  readonly rows: number;
  readonly users: number;
  readonly writers: number;
  readonly readers: number;
  /** Statements per second of each connection. */
  readonly rate: number;
}

/**
 * The not-yet-updated application: it knows nothing of company_id.
 * Writers insert calls (whose foreign keys take KEY SHARE locks on a user and
 * a contact, the table being filled) and contacts, and update calls and
 * contacts by id; readers list a user's latest calls and an owner's contacts.
 * Each connection sends `rate` statements a second on a fixed schedule, so
 * that a stalled statement shows as latency rather than as a slower load.
 */
export function startLoad(connection: ConnectionInfo, shape: LoadShape): { samples: Sample[]; stop: () => Promise<void> } {
  const samples: Sample[] = [];
  let running = true;
  const clients: pg.Client[] = [];
  const period = 1000 / shape.rate;
  const pick = (k: number, n: number): number => 1 + ((k * 7919 + 104_729) % n);
  const statement = (writer: boolean, k: number): { op: string; sql: string; params: unknown[] } => {
    const user = `user:${pick(k, shape.users)}`;
    if (!writer) {
      return k % 2 === 0
        ? { op: 'select calls', sql: 'SELECT id, duration_seconds FROM calls WHERE user_id = md5($1)::uuid ORDER BY created_at DESC LIMIT 20', params: [user] }
        : { op: 'select contacts', sql: 'SELECT id, first_name FROM contacts WHERE owner_id = md5($1)::uuid LIMIT 20', params: [user] };
    }
    switch (k % 4) {
      case 0:
        return {
          op: 'insert calls',
          sql: 'INSERT INTO calls (user_id, contact_id, duration_seconds) VALUES (md5($1)::uuid, md5($2)::uuid, 1)',
          params: [user, `contact:${pick(k * 31, shape.rows)}`],
        };
      case 1:
        return { op: 'insert contacts', sql: "INSERT INTO contacts (owner_id, first_name) VALUES (md5($1)::uuid, 'new')", params: [user] };
      case 2:
        return { op: 'update calls', sql: 'UPDATE calls SET duration_seconds = duration_seconds + 1 WHERE id = md5($1)::uuid', params: [`call:${pick(k * 17, shape.rows)}`] };
      default:
        return { op: 'update contacts', sql: "UPDATE contacts SET last_name = 'renamed' WHERE id = md5($1)::uuid", params: [`contact:${pick(k * 13, shape.rows)}`] };
    }
  };
  const loop = async (index: number, writer: boolean): Promise<void> => {
    const client = new pg.Client({ ...connection, application_name: 'old application' });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    const start = performance.now() + (index * period) / (shape.writers + shape.readers);
    for (let k = 0; running; k++) {
      const due = start + k * period;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!running) break;
      const { op, sql, params } = statement(writer, k * (shape.writers + shape.readers) + index);
      const at = performance.now();
      try {
        await client.query(sql, params);
        samples.push({ at, ms: performance.now() - at, ok: true, op });
      } catch (error) {
        samples.push({ at, ms: performance.now() - at, ok: false, op, error: (error as Error).message });
      }
    }
  };
  const loops = [
    ...Array.from({ length: shape.writers }, (_, i) => loop(i, true)),
    ...Array.from({ length: shape.readers }, (_, i) => loop(shape.writers + i, false)),
  ];
  let stopped: Promise<void> | null = null;
  const stop = async (): Promise<void> => {
    running = false;
    await Promise.allSettled(loops);
    await Promise.allSettled(clients.map((c) => c.end()));
  };
  // Idempotent: a caller's cleanup may stop the load again after stopping it.
  return { samples, stop: () => (stopped ??= stop()) };
}

export interface LatencySummary {
  readonly statements: number;
  readonly maxMs: number;
  /** The longest statement. */
  readonly worst: Sample | null;
  readonly p99Ms: number;
  readonly over100: number;
  readonly failed: number;
  readonly reasons: readonly string[];
}

/** The largest value (spreading 10^5 samples into Math.max overflows the stack). */
export function maxOf(values: readonly number[]): number {
  return values.reduce((a, b) => (b > a ? b : a), 0);
}

export function summarize(samples: readonly Sample[]): LatencySummary {
  const ms = samples.map((s) => s.ms);
  const failed = samples.filter((s) => !s.ok);
  const worst = samples.reduce<Sample | null>((w, s) => (w === null || s.ms > w.ms ? s : w), null);
  return {
    statements: samples.length,
    maxMs: maxOf(ms),
    worst,
    p99Ms: percentile(ms, 99),
    over100: ms.filter((m) => m >= 100).length,
    failed: failed.length,
    reasons: [...new Set(failed.map((s) => s.error ?? 'failed'))].slice(0, 3),
  };
}
