import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ConnectionInfo } from '../src/db/server.js';
import { quoteLiteral } from '../src/sql/quote.js';

/** One `-- step:` of bench/hand-migration.sql. */
export interface HandStep {
  readonly name: string;
  readonly sql: string;
}

export const HAND_MIGRATION = 'bench/hand-migration.sql';

/** The steps of the hand-written migration, in order (the header comment is not a step). */
export function readHandSteps(path = HAND_MIGRATION): HandStep[] {
  const steps: HandStep[] = [];
  for (const chunk of readFileSync(path, 'utf8').split(/^-- step: /m).slice(1)) {
    const newline = chunk.indexOf('\n');
    steps.push({ name: chunk.slice(0, newline).trim(), sql: chunk.slice(newline + 1).trim() });
  }
  return steps;
}

export interface HandRun {
  readonly steps: readonly { readonly name: string; readonly at: number; readonly ms: number }[];
  readonly retries: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the hand-written migration on one session under `lock_timeout`, the
 * way a DBA drives it from psql: a step that times out waiting for a lock is
 * rolled back (an index build it left invalid dropped) and run again after a
 * backoff, the same backoff rlsgen apply uses.
 */
export async function runHandMigration(
  connection: ConnectionInfo,
  options: { readonly lockTimeout: string; readonly batchSize: number; readonly batchPauseMs?: number; readonly steps?: readonly HandStep[] },
): Promise<HandRun> {
  const client = new pg.Client({ ...connection, application_name: 'hand-written migration' });
  await client.connect();
  const done: { name: string; at: number; ms: number }[] = [];
  let retries = 0;
  try {
    await client.query(`SET lock_timeout = ${quoteLiteral(options.lockTimeout)}`);
    await client.query(`SET hand.batch_size = ${quoteLiteral(String(options.batchSize))}`);
    await client.query(`SET hand.batch_pause_ms = ${quoteLiteral(String(options.batchPauseMs ?? 0))}`);
    for (const step of options.steps ?? readHandSteps()) {
      const started = performance.now();
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(step.sql);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '55P03' || attempt > 8) throw new Error(`hand-written migration, step "${step.name}": ${(error as Error).message}`);
          retries++;
          await client.query('ROLLBACK').catch(() => undefined);
          const index = /CREATE (?:UNIQUE )?INDEX CONCURRENTLY (\w+)/.exec(step.sql)?.[1];
          if (index !== undefined) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
          await sleep(Math.min(30_000, 250 * 2 ** attempt));
        }
      }
      done.push({ name: step.name, at: started, ms: performance.now() - started });
    }
    return { steps: done, retries };
  } finally {
    await client.end().catch(() => undefined);
  }
}
