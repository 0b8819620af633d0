import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplyEvent } from '../../src/apply/apply-migrations.js';
import type { Output } from '../../src/cli/output.js';
import { progressReporter } from '../../src/cli/progress.js';

function logOutput(): { output: Output; lines: string[] } {
  const lines: string[] = [];
  const output: Output = { color: false, interactive: false, out: (l = '') => lines.push(l), err: (l = '') => lines.push(l), paint: (_s, t) => t };
  return { output, lines };
}

const batch = (done: number, event: 'start' | 'batch' | 'done' = 'batch', pauseMs = 0, total = 1_000_000): ApplyEvent => ({
  kind: 'backfill',
  table: 'public.calls',
  event,
  done,
  total,
  filled: done,
  unresolved: event === 'done' ? 0 : null,
  batchSize: event === 'start' ? null : 2000,
  pauseMs: event === 'start' ? null : pauseMs,
});

describe('backfill progress in a CI log', () => {
  afterEach(() => vi.useRealTimers());

  it('prints a line every 10% with rows/s, ETA and the pacing of the last batch', () => {
    vi.useFakeTimers({ now: 0 });
    const { output, lines } = logOutput();
    const { onEvent } = progressReporter(output);
    onEvent(batch(0, 'start'));
    for (let done = 50_000; done <= 1_000_000; done += 50_000) {
      vi.advanceTimersByTime(1000);
      onEvent(batch(done, done === 1_000_000 ? 'done' : 'batch', done > 500_000 ? 20 : 0));
    }
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('  backfill public.calls: 0/1000000 rows');
    expect(lines[1]).toBe('  backfill public.calls: 100000/1000000 rows (50,000 rows/s, ETA 18s, batch 2,000)');
    expect(lines[6]).toBe('  backfill public.calls: 600000/1000000 rows (50,000 rows/s, ETA 8s, batch 2,000, pause 20 ms)');
    expect(lines[10]).toContain('1000000/1000000 rows (50,000 rows/s, ETA 0s');
  });

  it('keeps small tables out of the log: their counts are in the summary', () => {
    const { output, lines } = logOutput();
    const { onEvent } = progressReporter(output);
    onEvent(batch(0, 'start', 0, 500));
    onEvent(batch(500, 'done', 0, 500));
    expect(lines).toEqual([]);
  });
});

describe('server notices during apply', () => {
  const notice = (severity: string, code: string, stage: 'prepare' | 'enforce' | 'distribute', message: string): ApplyEvent => ({
    kind: 'notice',
    file: `0001_${stage}.sql`,
    stage,
    severity,
    code,
    message,
    detail: null,
  });

  it("shows Citus's notices while it distributes and other warnings; idempotency notices and the privilege warnings that fail their file are not shown", () => {
    const { output, lines } = logOutput();
    const { onEvent } = progressReporter(output);
    onEvent(notice('NOTICE', '42P07', 'prepare', 'relation "x" already exists, skipping'));
    onEvent(notice('WARNING', '01007', 'enforce', 'no privileges were granted for "x"'));
    onEvent(notice('WARNING', '01006', 'enforce', 'no privileges could be revoked for "x"'));
    onEvent(notice('WARNING', '01000', 'enforce', 'something the DBA must read'));
    onEvent(notice('NOTICE', '00000', 'distribute', 'Copying data from local table...'));
    expect(lines).toEqual(['  0001_enforce.sql: WARNING: something the DBA must read', '  0001_distribute.sql: NOTICE: Copying data from local table...']);
  });
});
