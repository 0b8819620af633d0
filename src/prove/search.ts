import type { Outcome } from './values.js';

/** A free variable and the values tried for it. */
export interface Variable {
  readonly name: string;
  readonly values: readonly Outcome[];
}

/** The number of assignments of `variables`. */
export function combinations(variables: readonly Variable[]): number {
  return variables.reduce((n, v) => n * Math.max(1, v.values.length), 1);
}

/**
 * Calls `visit` with every assignment of the variables (odometer order) until
 * it returns true. Variables with no values are left out of the assignment.
 */
export function forEachAssignment(variables: readonly Variable[], visit: (assignment: ReadonlyMap<string, Outcome>) => boolean): boolean {
  const live = variables.filter((v) => v.values.length > 0);
  const index = live.map(() => 0);
  const current = new Map<string, Outcome>();
  for (;;) {
    for (const [i, v] of live.entries()) current.set(v.name, v.values[index[i] ?? 0] as Outcome);
    if (visit(current)) return true;
    let i = live.length - 1;
    while (i >= 0) {
      const v = live[i] as Variable;
      index[i] = (index[i] ?? 0) + 1;
      if ((index[i] ?? 0) < v.values.length) break;
      index[i] = 0;
      i--;
    }
    if (i < 0) return false;
  }
}
