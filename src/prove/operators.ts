import { ANYTHING, bool, compareValues, ERROR, like, NULL, type Outcome, outcomes, regexMatch, value } from './values.js';

const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>=']);
const LIKES: Record<string, { insensitive: boolean; negated: boolean }> = {
  '~~': { insensitive: false, negated: false },
  '~~*': { insensitive: true, negated: false },
  '!~~': { insensitive: false, negated: true },
  '!~~*': { insensitive: true, negated: true },
};
const REGEXES: Record<string, { insensitive: boolean; negated: boolean }> = {
  '~': { insensitive: false, negated: false },
  '~*': { insensitive: true, negated: false },
  '!~': { insensitive: false, negated: true },
  '!~*': { insensitive: true, negated: true },
};

/** Each combination of the operands' outcomes through `f`; the sets stay small, a guard keeps them so. */
export function lift2(as: readonly Outcome[], bs: readonly Outcome[], f: (a: Outcome, b: Outcome) => readonly Outcome[]): Outcome[] {
  if (as.length * bs.length > 256) return [...ANYTHING];
  const out: Outcome[] = [];
  for (const a of as) for (const b of bs) out.push(...f(a, b));
  return outcomes(out);
}

/** Whether the prover models `op`. */
export function knownOperator(op: string): boolean {
  return COMPARISONS.has(op) || op in LIKES || op in REGEXES || ['||', '+', '-', '*', '/', '%'].includes(op);
}

/** `a op b` for one outcome of each side; strict operators: NULL in, NULL out, errors pass through. */
export function applyOperator(op: string, a: Outcome, b: Outcome): readonly Outcome[] {
  if (a.k === 'error' || b.k === 'error') return [ERROR];
  if (a.k === 'null' || b.k === 'null') return [NULL];
  if (a.k === 'some' || b.k === 'some') return COMPARISONS.has(op) || op in LIKES || op in REGEXES ? [bool(true), bool(false)] : [{ k: 'some', type: op === '||' ? 'text' : 'any' }, ERROR];
  if (COMPARISONS.has(op)) {
    const r = compareValues(op, a, b);
    return r === null ? [bool(true), bool(false)] : [bool(r)];
  }
  const pattern = LIKES[op] ?? REGEXES[op];
  if (pattern !== undefined) {
    const r = op in LIKES ? like(a.text, b.text, pattern.insensitive) : regexMatch(a.text, b.text, pattern.insensitive);
    return r === null ? [bool(true), bool(false)] : [bool(pattern.negated ? !r : r)];
  }
  if (op === '||') return [value('text', a.text + b.text)];
  return arithmetic(op, a, b);
}

function arithmetic(op: string, a: Outcome & { k: 'value' }, b: Outcome & { k: 'value' }): readonly Outcome[] {
  if (a.type !== 'int' || b.type !== 'int') return [{ k: 'some', type: 'any' }, ERROR];
  const x = BigInt(a.text);
  const y = BigInt(b.text);
  if ((op === '/' || op === '%') && y === 0n) return [ERROR];
  const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  return [value('int', r.toString())];
}
