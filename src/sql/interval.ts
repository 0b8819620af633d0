/**
 * A duration as the manifest and the CLI write it (`50ms`, `2s`, `1min`,
 * `0`) turned into PostgreSQL interval text, or null when it is not one. A
 * duration without a unit means milliseconds, as it does for lock_timeout and
 * the other timeout settings; as an interval it would mean seconds.
 *
 * @example durationInterval('50') === '50ms'
 * @example durationInterval('2 s') === '2 s'
 * @example durationInterval('0') === '0'
 */
export function durationInterval(duration: string): string | null {
  const text = duration.trim();
  if (!/^\d+\s*(us|ms|s|min|h|d)?$/.test(text)) return null;
  if (/^0+$/.test(text)) return '0';
  return /^\d+$/.test(text) ? `${text}ms` : text;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The same duration in milliseconds, or null when it is not one.
 *
 * @example durationMilliseconds('10min') === 600000
 * @example durationMilliseconds('50') === 50
 */
export function durationMilliseconds(duration: string): number | null {
  const match = /^(\d+)\s*(us|ms|s|min|h|d)?$/.exec(duration.trim());
  if (match === null) return null;
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1);
}
