import { describe, expect, it } from 'vitest';
import { BackfillRate, formatRate, formatSeconds } from '../../src/cli/backfill-rate.js';
import { durationInterval, durationMilliseconds } from '../../src/sql/interval.js';

describe('backfill rate and ETA', () => {
  it('counts only the rows of this run, over the last seconds', () => {
    const rate = new BackfillRate(10_000);
    rate.restart(0, 400_000); // resumed: 400k rows were done by an earlier run
    expect(rate.rowsPerSecond()).toBeNull();
    rate.record(1_000, 450_000);
    expect(rate.rowsPerSecond()).toBe(50_000);
    expect(rate.secondsLeft(1_000_000)).toBe(11);
    expect(formatRate(rate, 1_000_000)).toBe('50,000 rows/s, ETA 11s');
  });

  it('follows a slower pace within the window', () => {
    const rate = new BackfillRate(10_000);
    rate.restart(0, 0);
    for (let t = 1; t <= 20; t++) rate.record(t * 1000, t * 50_000);
    for (let t = 21; t <= 40; t++) rate.record(t * 1000, 1_000_000 + (t - 20) * 10_000);
    expect(rate.rowsPerSecond()).toBe(10_000);
  });

  it('writes times a person reads', () => {
    expect([formatSeconds(45), formatSeconds(187), formatSeconds(7500)]).toEqual(['45s', '3m 07s', '2h 05m']);
  });
});

describe('durations as intervals', () => {
  it('reads a bare number as milliseconds, as lock_timeout does', () => {
    expect(['50', '50ms', '2 s', '1min', '0', '000'].map(durationInterval)).toEqual(['50ms', '50ms', '2 s', '1min', '0', '0']);
  });
  it('refuses anything else', () => {
    expect(['', 'soon', '-5ms', '1.5s', "1s'; DROP TABLE x"].map(durationInterval)).toEqual([null, null, null, null, null]);
  });
  it('gives the same durations in milliseconds', () => {
    expect(['50', '50ms', '2 s', '10min', '1h', '0', 'soon'].map(durationMilliseconds)).toEqual([50, 50, 2000, 600_000, 3_600_000, 0, null]);
  });
});
