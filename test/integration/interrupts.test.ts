import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { crmDatabase, FIXTURE_DATA, FIXTURE_SCHEMA, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Ctrl-C (SIGINT, to the whole process group as a terminal sends it) and a
 * CI timeout's SIGTERM (to the process alone), at many points of the demo,
 * of `verify --schema` and of `apply`: each run exits 130 or 143 without a
 * stack trace, and leaves no file in its temp folder and no process (no
 * server, no initdb) behind.
 */
const server = testServers()[0];
if (server === undefined) throw new Error('no test server');
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.allSettled(drops.map((d) => d()));
});

/** When to interrupt: after the `after`-th line of output matching `line` (or the start), plus `delayMs`. */
interface Trigger {
  readonly line?: RegExp;
  readonly after?: number;
  readonly delayMs: number;
  readonly signal: 'SIGINT' | 'SIGTERM';
}

interface Interrupted {
  readonly code: number | null;
  readonly output: string;
  readonly tmp: string;
  /** The trigger fired while the run was going. */
  readonly signalled: boolean;
  readonly seconds: number;
}

const node = process.execPath;
const CLI = resolve('dist/src/cli/main.js');
const DEMO = resolve('dist/scripts/demo.js');

function runInterrupted(args: readonly string[], trigger: Trigger, env: NodeJS.ProcessEnv = {}): Promise<Interrupted> {
  const tmp = tempDir('interrupt', { open: true });
  const started = Date.now();
  // SIGINT goes to the process group, as a terminal's Ctrl-C does (initdb
  // and pg_ctl children get it too); SIGTERM to the process only, as `kill` does.
  const group = trigger.signal === 'SIGINT';
  const child: ChildProcess = spawn(node, args, {
    cwd: process.cwd(),
    env: { ...process.env, ...env, TMPDIR: tmp, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  let output = '';
  let seen = 0;
  let fired = false;
  let exited = false;
  let signalled = false;
  const fire = (): void => {
    if (fired) return;
    fired = true;
    setTimeout(() => {
      if (exited || child.pid === undefined) return;
      process.kill(group ? -child.pid : child.pid, trigger.signal);
      signalled = true;
    }, trigger.delayMs);
  };
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output += text;
    if (trigger.line === undefined) return;
    for (const line of text.split('\n')) {
      if (trigger.line.test(line)) seen++;
      if (seen >= (trigger.after ?? 1)) fire();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  if (trigger.line === undefined) fire();
  return new Promise((done, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exited = true;
      // Killed by the signal itself (before rlsgen's handlers were installed): the status a shell reports.
      const status = code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : null);
      done({ code: status, output, tmp, signalled, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Processes whose command line names the run's temp folder: its servers, initdb, pg_ctl. */
function processesUsing(folder: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(folder));
}

async function nothingLeft(run: Interrupted): Promise<{ files: string[]; processes: string[] }> {
  let processes = processesUsing(run.tmp);
  // A postmaster removes postmaster.pid (what pg_ctl stop -w waits for) just before it exits.
  for (let i = 0; i < 10 && processes.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    processes = processesUsing(run.tmp);
  }
  return { files: readdirSync(run.tmp), processes };
}

const STACK = /\n\s+at .+[:(]\d+:\d+\)?/;

/** Runs the cases two at a time (each starts servers: the machine is shared). */
async function inPairs<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 2) out.push(...(await Promise.all(items.slice(i, i + 2).map(fn))));
  return out;
}

const signals = (i: number): 'SIGINT' | 'SIGTERM' => (i % 2 === 0 ? 'SIGINT' : 'SIGTERM');

const demoTriggers: Trigger[] = [
  { line: /^1\. /, delayMs: 0 },
  { line: /^1\. /, delayMs: 400 },
  { line: /^1\. /, delayMs: 1200 },
  { line: /^2\. /, delayMs: 0 },
  { line: /^2\. /, delayMs: 200 },
  { line: /^3\. /, delayMs: 0 },
  { line: /^4\. /, delayMs: 300 },
  { line: /^5\. /, delayMs: 200 },
  { line: /^6\. /, delayMs: 500 },
].map((t, i) => ({ ...t, signal: signals(i) }));

const verifyTriggers: Trigger[] = [
  { delayMs: 900 },
  { line: /^server: /, delayMs: 700 },
  { line: /^server: /, delayMs: 1500 },
  { line: /^database: /, delayMs: 0 },
  { line: /^database: /, delayMs: 300 },
  { line: /^apply: /, delayMs: 0 },
  { line: /^apply: /, delayMs: 800 },
  { line: /^verify: /, delayMs: 0 },
  { line: /^verify: /, delayMs: 1500 },
].map((t, i) => ({ ...t, signal: signals(i + 1) }));

const applyTriggers: Trigger[] = [700, 1000, 1400, 1800, 2300, 2900, 3600, 4500].map((delayMs, i) => ({ delayMs, signal: signals(i) }));

interface Case {
  readonly what: string;
  readonly run: () => Promise<Interrupted>;
  readonly after?: () => Promise<string[]>;
}

async function applyCase(trigger: Trigger): Promise<{ run: Interrupted; sessions: string[] }> {
  const db = await crmDatabase(server as NonNullable<typeof server>);
  drops.push(db.drop);
  const run = await runInterrupted([CLI, 'apply', '--database-url', connectionUrl(db.connection)], trigger);
  // The connection went with the run: no session of it on the server, so no lock and no transaction held.
  const sessions = await withClient(server?.connection ?? db.connection, async (c) => {
    for (let i = 0; ; i++) {
      const { rows } = await c.query<{ application_name: string }>('SELECT application_name FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.connection.database]);
      if (rows.length === 0 || i >= 20) return rows.map((r) => r.application_name);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  return { run, sessions };
}

describe('interrupted runs leave nothing behind', () => {
  it('demo, verify --schema and apply, interrupted 26 times at varied points', { timeout: 1_200_000 }, async () => {
    const cases: Case[] = [
      ...demoTriggers.map((t): Case => ({ what: `demo, ${t.signal} after ${t.line?.source ?? 'start'} +${t.delayMs} ms`, run: () => runInterrupted([DEMO], t) })),
      ...verifyTriggers.map(
        (t): Case => ({
          what: `verify --schema, ${t.signal} after ${t.line?.source ?? 'start'} +${t.delayMs} ms`,
          run: () => runInterrupted([CLI, 'verify', '--schema', FIXTURE_SCHEMA, '--data', FIXTURE_DATA], t, { DATABASE_URL: '' }),
        }),
      ),
    ];
    const results: { what: string; run: Interrupted; sessions: string[] }[] = [];
    for (const r of await inPairs(cases, async (c) => ({ what: c.what, run: await c.run(), sessions: [] as string[] }))) results.push(r);
    for (const r of await inPairs(applyTriggers, async (t) => ({ what: `apply, ${t.signal} at +${t.delayMs} ms`, ...(await applyCase(t)) })))
      results.push(r);

    const report = await Promise.all(
      results.map(async ({ what, run, sessions }) => {
        const left = await nothingLeft(run);
        return { what, code: run.code, seconds: run.seconds, stack: STACK.test(run.output), ...left, sessions };
      }),
    );
    for (const r of report) console.log(`${String(r.code).padStart(4)}  ${r.seconds.toFixed(1).padStart(5)} s  ${r.files.length} files, ${r.processes.length} processes left  ${r.what}`);
    const interrupted = report.filter((r) => r.code === 130 || r.code === 143);
    // Every run either was interrupted (130/143) or had finished first (0).
    expect(report.filter((r) => r.code !== 0 && r.code !== 130 && r.code !== 143)).toEqual([]);
    expect(interrupted.length).toBeGreaterThanOrEqual(20);
    expect(report.filter((r) => r.files.length > 0 || r.processes.length > 0 || r.sessions.length > 0 || r.stack)).toEqual([]);
    for (const r of interrupted) expect(r.code).toBe(r.what.includes('SIGINT') ? 130 : 143);
  });
});
