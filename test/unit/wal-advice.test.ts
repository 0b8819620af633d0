import { describe, expect, it } from 'vitest';
import { formatWalAdvice, walAdviceFor } from '../../src/apply/wal-advice.js';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

describe('the WAL advice before a backfill', () => {
  it('is silent while the table fits between two requested checkpoints', () => {
    // max_wal_size 1GB, completion target 0.9: a checkpoint is requested about every 539 MB of WAL.
    expect(walAdviceFor('public.calls', 500 * MB, GB, 0.9)).toBeNull();
    expect(walAdviceFor('public.calls', 600 * MB, 2 * GB, 0.9)).toBeNull();
  });

  it('names the table, both sizes, the checkpoint interval and a max_wal_size of four times the table, and how to set it back', () => {
    const advice = walAdviceFor('public.calls', 1.5 * GB, GB, 0.9);
    expect(advice).toMatchObject({ table: 'public.calls', suggestedBytes: 6 * GB });
    expect(advice?.checkpointEveryBytes).toBeCloseTo(GB / 1.9);
    if (advice === null) throw new Error('no advice');
    const { message, detail } = formatWalAdvice(advice);
    expect(message).toBe(
      "public.calls is 1.5 GB and max_wal_size is 1.0 GB: filling it writes at least its size in WAL, so the server requests a checkpoint every 539 MB of it, back to back, and the application's statements wait on their writes meanwhile",
    );
    expect(detail).toBe(
      "for the rollout, raise it and reload (no restart): ALTER SYSTEM SET max_wal_size = '6GB'; SELECT pg_reload_conf(); (managed PostgreSQL: the parameter group), with that much free disk for pg_wal, and set it back afterwards",
    );
  });

  it('rounds the suggestion up to whole gigabytes', () => {
    expect(walAdviceFor('public.t', 200 * MB, 128 * MB, 0.9)?.suggestedBytes).toBe(GB);
  });
});
