import { ERROR, FALSE, NULL, type Outcome, TRUE } from './values.js';

/**
 * The truth values an expression can have, as a bit set: true, false, NULL,
 * error. A boolean expression evaluates to the set of every value some
 * resolution of what the prover cannot know would give.
 */
export const T = 1;
export const F = 2;
export const N = 4;
export const E = 8;

export function truthsOf(set: readonly Outcome[]): number {
  let mask = 0;
  for (const o of set) {
    if (o.k === 'null') mask |= N;
    else if (o.k === 'error') mask |= E;
    else if (o.k === 'some') mask |= T | F;
    else if (o.type === 'bool') mask |= o.text === 't' ? T : F;
    // A non-boolean value used as a condition is refused by PostgreSQL when the policy is created.
    else mask |= E;
  }
  return mask;
}

export function outcomesOf(mask: number): Outcome[] {
  const out: Outcome[] = [];
  if (mask & T) out.push(TRUE);
  if (mask & F) out.push(FALSE);
  if (mask & N) out.push(NULL);
  if (mask & E) out.push(ERROR);
  return out;
}

/**
 * AND or OR over arguments evaluated left to right, as PostgreSQL's executor
 * does: OR stops at the first true, AND at the first false, and an error met
 * before that ends the statement.
 */
export function connective(kind: 'and' | 'or', args: readonly (() => number)[]): number {
  const stop = kind === 'or' ? T : F;
  const pass = kind === 'or' ? F : T;
  let result = 0;
  // The paths still running: bit 1 without a NULL seen on them, bit 2 with one.
  let running = 1;
  for (const arg of args) {
    if (running === 0) break;
    const values = arg();
    let next = 0;
    if (values & stop) result |= stop;
    if (values & E) result |= E;
    if (values & N) next |= 2;
    if (values & pass) next |= running;
    running = next;
  }
  if (running & 1) result |= pass;
  if (running & 2) result |= N;
  return result;
}

export function negate(mask: number): number {
  return (mask & T ? F : 0) | (mask & F ? T : 0) | (mask & (N | E));
}

/** Whether a row passes: only when the expression is true (NULL and false hide it, an error fails the statement). */
export type Admission = 'yes' | 'maybe' | 'no';

export function admission(mask: number): Admission {
  if ((mask & T) === 0) return 'no';
  return mask === T ? 'yes' : 'maybe';
}
