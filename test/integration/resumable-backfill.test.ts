import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCallRows, loadCrmRows } from '../../bench/bench-support.js';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { crmDatabase, testServers } from '../helpers/servers.js';

const [server] = testServers();

/** Starts `rlsgen apply`, waits for `trigger` in its output, then SIGKILLs it after `delayMs`. */
function applyAndKill(url: string, trigger: RegExp, delayMs: number): Promise<{ killed: boolean; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('dist/src/cli/main.js'), 'apply', '--stage', 'prepare', '--batch-size', '1000', '--database-url', url], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    let output = '';
    let armed = false;
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!armed && trigger.test(output)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (_code, signal) => done({ killed: signal === 'SIGKILL', output }));
  });
}

describe.runIf(server !== undefined)('a backfill killed at random points', () => {
  it('continues where it stopped and ends with exactly the right tenants', async () => {
    if (server === undefined) return;
    const db = await crmDatabase(server);
    try {
      await withClient(db.connection, async (c) => {
        await loadCrmRows(c, { tenants: 20, contacts: 0, deals: 0 });
        await loadCallRows(c, 150_000, 40);
      });
      const url = connectionUrl(db.connection);
      const expected = await withClient(db.connection, async (c) =>
        (await c.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM calls')).rows[0],
      );
      // Seeded random delays: reproducible kill points.
      let seed = 7;
      const next = (): number => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      let kills = 0;
      let resumedAt = 0;
      for (let attempt = 0; attempt < 4; attempt++) {
        const run = await applyAndKill(url, /backfill public\.calls: \d+\/150003/, Math.floor(50 + next() * 400));
        if (run.killed) kills++;
        const resumed = /backfill public\.calls: (\d+)\/150003/.exec(run.output);
        if (attempt > 0 && resumed !== null && Number(resumed[1]) > 0) resumedAt = Math.max(resumedAt, Number(resumed[1]));
        if (!run.killed) break;
      }
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(resumedAt).toBeGreaterThan(0);
      const finish = await applyAndKill(url, /$^/, 0);
      expect(finish.killed).toBe(false);
      const state = await withClient(db.connection, async (c) => ({
        counts: (await c.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM calls')).rows[0],
        wrong: (await c.query<{ n: string }>(
          'SELECT count(*) AS n FROM calls AS c JOIN users AS u ON u.id = c.user_id WHERE c.company_id IS DISTINCT FROM u.company_id',
        )).rows[0]?.n,
        unfilled: (await c.query<{ n: string }>('SELECT count(*) AS n FROM calls WHERE company_id IS NULL')).rows[0]?.n,
        progress: (await c.query<{ n: string }>('SELECT count(*) AS n FROM rlsgen.backfill_progress')).rows[0]?.n,
        prepared: (await c.query<{ n: string }>('SELECT count(*) AS n FROM rlsgen.migrations WHERE id > 0')).rows[0]?.n,
      }));
      expect(state).toEqual({ counts: expected, wrong: '0', unfilled: '1', progress: '0', prepared: '194' });
    } finally {
      await db.drop();
    }
  });
});
