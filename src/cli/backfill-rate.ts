/**
 * The rate and the time left of a running backfill, from its progress
 * events: rows per second over the last `windowMs` (so that a pacing change,
 * or load on the server, shows within seconds), and the rows left at that
 * rate. Rows a resumed run found done already do not count as speed. Pure:
 * the caller passes the clock.
 */
export class BackfillRate {
  private samples: { readonly at: number; readonly done: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Forgets the previous table: call on its start event. */
  restart(at: number, done: number): void {
    this.samples = [{ at, done }];
  }

  record(at: number, done: number): void {
    this.samples.push({ at, done });
    const horizon = at - this.windowMs;
    // Keep one sample at or before the horizon, so the window stays full.
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= horizon) this.samples.shift();
  }

  /** Rows per second, or null before two samples a moment apart. */
  rowsPerSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at - first.at < 200) return null;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total` rows at the current rate, or null while unknown. */
  secondsLeft(total: number): number | null {
    const rate = this.rowsPerSecond();
    const last = this.samples[this.samples.length - 1];
    if (rate === null || rate <= 0 || last === undefined) return null;
    return Math.max(0, (total - last.done) / rate);
  }
}

/** `52,310 rows/s, ETA 1m 05s`, or '' while the rate is unknown. */
export function formatRate(rate: BackfillRate, total: number): string {
  const perSecond = rate.rowsPerSecond();
  if (perSecond === null) return '';
  const left = rate.secondsLeft(total);
  return `${Math.round(perSecond).toLocaleString('en-US')} rows/s${left === null ? '' : `, ETA ${formatSeconds(left)}`}`;
}

/** `45s`, `3m 07s`, `2h 05m`. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
