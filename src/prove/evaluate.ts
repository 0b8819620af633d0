import type { TableInfo } from '../introspect/snapshot.js';
import type { CallExpr, Expr } from '../sql/expression.js';
import { connective, E, F, N, negate, outcomesOf, T, truthsOf } from './logic.js';
import { applyOperator, knownOperator, lift2 } from './operators.js';
import type { FunctionResolver } from './resolve-function.js';
import { ANYTHING, bool, cast, ERROR, NULL, type Outcome, outcomes, value, valueType } from './values.js';

/** The session a policy is evaluated in. */
export interface Session {
  /** The value of each setting the policies read; NULL where it was never set. */
  readonly settings: ReadonlyMap<string, Outcome>;
  /** What an IMMUTABLE helper may have folded into a cached plan, per setting: another session's value. */
  readonly stale: ReadonlyMap<string, Outcome>;
  readonly sessionUser: Outcome;
  /** The tenant a signed context authenticates: A when the token is A's, else NULL. */
  readonly signedTenant: Outcome;
}

export interface EvalContext {
  readonly resolver: FunctionResolver;
  readonly table: TableInfo;
  /** current_user: the application role itself. */
  readonly currentUser: string;
  /** Why an outcome could not be known (filled while evaluating). */
  readonly reasons: Set<string>;
}

/** A call of an inlined SQL function: its arguments, by position and name. */
interface Frame {
  readonly params: readonly (readonly Outcome[])[];
  readonly names: readonly string[];
  readonly stale: boolean;
  readonly depth: number;
}

const TOP: Frame = { params: [], names: [], stale: false, depth: 0 };

/** Every outcome `expr` can have for this row in this session. */
export function evaluate(expr: Expr, ctx: EvalContext, row: ReadonlyMap<string, Outcome>, session: Session, frame: Frame = TOP): Outcome[] {
  const ev = (e: Expr): Outcome[] => evaluate(e, ctx, row, session, frame);
  const truth = (e: Expr): number => truthsOf(ev(e));
  switch (expr.kind) {
    case 'const':
      return [constant(expr.value, expr.type)];
    case 'column':
      return column(expr, ctx, row, frame);
    case 'param':
      return [...(frame.params[expr.index - 1] ?? unknown(ctx, `parameter $${expr.index}`))];
    case 'call':
      return call(expr, ctx, row, session, frame);
    case 'cast': {
      const target = valueType(expr.type);
      if (target === 'any') ctx.reasons.add(`a cast to ${expr.type}`);
      return outcomes(ev(expr.expr).flatMap((o) => cast(o, target)));
    }
    case 'op':
      if (!knownOperator(expr.op)) return unknown(ctx, `operator ${expr.op}`);
      return lift2(ev(expr.left), ev(expr.right), (a, b) => applyOperator(expr.op, a, b));
    case 'negate':
      return outcomes(ev(expr.expr).flatMap((o) => (o.k === 'value' && (o.type === 'int' || o.type === 'numeric') ? [value(o.type, o.text.startsWith('-') ? o.text.slice(1) : `-${o.text}`)] : o.k === 'value' ? [ERROR] : [o])));
    case 'and':
    case 'or':
      return outcomesOf(connective(expr.kind, expr.args.map((a) => () => truth(a))));
    case 'not':
      return outcomesOf(negate(truth(expr.expr)));
    case 'test':
      return test(expr.test, expr.negated, ev(expr.expr));
    case 'distinct':
      return lift2(ev(expr.left), ev(expr.right), (a, b) => distinct(a, b, expr.negated));
    case 'any':
      return quantified(expr.op, expr.all, ev(expr.left), expr.items.map(ev));
    case 'between': {
      const low = lift2(ev(expr.expr), ev(expr.low), (a, b) => applyOperator('>=', a, b));
      const high = lift2(ev(expr.expr), ev(expr.high), (a, b) => applyOperator('<=', a, b));
      const both = connective('and', [() => truthsOf(low), () => truthsOf(high)]);
      return outcomesOf(expr.negated ? negate(both) : both);
    }
    case 'nullif':
      return lift2(ev(expr.left), ev(expr.right), (a, b) => nullif(a, b));
    case 'coalesce':
      return coalesce(expr.args.map((a) => () => ev(a)));
    case 'case':
      return caseWhen(expr, ev);
    case 'array':
      return unknown(ctx, 'an array value');
    case 'sqlvalue':
      if (expr.name === 'current_user' || expr.name === 'current_role' || expr.name === 'user') return [value('text', ctx.currentUser)];
      if (expr.name === 'session_user') return [session.sessionUser];
      return unknown(ctx, expr.name.toUpperCase());
    case 'sublink':
      if (expr.inner !== null) return ev(expr.inner);
      ctx.reasons.add(`a sub-select reading ${expr.tables.length === 0 ? 'a table' : expr.tables.join(', ')}`);
      return expr.form === 'exists' ? [bool(true), bool(false), ERROR] : [...ANYTHING];
    case 'opaque':
      return unknown(ctx, expr.reason);
    default: {
      const never: never = expr;
      return never;
    }
  }
}

function unknown(ctx: EvalContext, reason: string): Outcome[] {
  ctx.reasons.add(reason);
  return [...ANYTHING];
}

function constant(text: string | null, type: string): Outcome {
  if (text === null) return NULL;
  if (type === 'bool') return bool(text === 'true');
  if (type === 'numeric') return /^[0-9]+$/.test(text) ? value('int', BigInt(text).toString()) : value('numeric', String(Number(text)));
  return value('text', text);
}

function column(expr: Expr & { kind: 'column' }, ctx: EvalContext, row: ReadonlyMap<string, Outcome>, frame: Frame): Outcome[] {
  const param = expr.qualifier === null ? frame.names.indexOf(expr.name) : -1;
  if (param >= 0 && frame.params[param] !== undefined) return [...(frame.params[param] ?? [])];
  const own = expr.qualifier === null || expr.qualifier === ctx.table.name;
  const found = own ? row.get(expr.name) : undefined;
  return found === undefined ? unknown(ctx, `column ${expr.qualifier === null ? '' : `${expr.qualifier}.`}${expr.name}`) : [found];
}

function call(expr: CallExpr, ctx: EvalContext, row: ReadonlyMap<string, Outcome>, session: Session, frame: Frame): Outcome[] {
  const ev = (e: Expr): Outcome[] => evaluate(e, ctx, row, session, frame);
  const r = ctx.resolver.resolve(expr);
  switch (r.kind) {
    case 'setting':
      return setting(expr, ev, session, frame.stale, ctx);
    case 'fold':
      return outcomes(ev(expr.args[0] as Expr).map((o) => (o.k === 'value' ? value('text', r.upper ? o.text.toUpperCase() : o.text.toLowerCase()) : o)));
    case 'verified':
      return [session.signedTenant];
    case 'unknown':
      return unknown(ctx, r.reason);
    case 'inline': {
      if (frame.depth > 12) return unknown(ctx, `functions nested more than 12 deep`);
      const params = expr.args.map(ev);
      // A STRICT function returns NULL for a NULL argument without running its body.
      const nullable = r.strict && params.some((p) => p.some((o) => o.k === 'null'));
      const body = evaluate(r.body, ctx, row, session, { params, names: r.params, stale: frame.stale || r.immutable, depth: frame.depth + 1 });
      return nullable ? outcomes([NULL, ...body]) : body;
    }
    default: {
      const never: never = r;
      return never;
    }
  }
}

/** current_setting(name [, missing_ok]): NULL for an unset variable with missing_ok, an error without it. */
function setting(expr: CallExpr, ev: (e: Expr) => Outcome[], session: Session, stale: boolean, ctx: EvalContext): Outcome[] {
  const [nameArg, okArg] = expr.args;
  const names = nameArg === undefined ? [] : ev(nameArg);
  const name = names.length === 1 && names[0]?.k === 'value' ? names[0].text : null;
  if (name === null) return unknown(ctx, 'current_setting() of a name that is not a constant');
  const oks = okArg === undefined ? [bool(false)] : ev(okArg);
  const current = (stale ? session.stale : session.settings).get(name);
  if (current === undefined) return unknown(ctx, `setting ${name}`);
  return outcomes(oks.flatMap((ok) => (current.k !== 'null' ? [current] : ok.k === 'value' && ok.text === 't' ? [NULL] : ok.k === 'value' ? [ERROR] : [NULL, ERROR])));
}

function test(kind: 'null' | 'true' | 'false' | 'unknown', negated: boolean, set: readonly Outcome[]): Outcome[] {
  const results = set.flatMap((o): Outcome[] => {
    if (o.k === 'error') return [ERROR];
    if (kind === 'null') return [bool((o.k === 'null') !== negated)];
    const mask = truthsOf([o]);
    const want = kind === 'true' ? T : kind === 'false' ? F : N;
    // An IS TRUE / IS FALSE / IS UNKNOWN test of a value with several possible truths can come out either way.
    return [...(mask & want ? [bool(!negated)] : []), ...(mask & ~want & (T | F | N) ? [bool(negated)] : []), ...(mask & E ? [ERROR] : [])];
  });
  return outcomes(results);
}

function distinct(a: Outcome, b: Outcome, negated: boolean): readonly Outcome[] {
  if (a.k === 'error' || b.k === 'error') return [ERROR];
  if (a.k === 'null' || b.k === 'null') return [bool((a.k === 'null' && b.k === 'null') === negated)];
  return applyOperator(negated ? '=' : '<>', a, b);
}

function nullif(a: Outcome, b: Outcome): readonly Outcome[] {
  if (a.k === 'error' || b.k === 'error') return [ERROR];
  if (a.k === 'null' || b.k === 'null') return [a];
  return applyOperator('=', a, b).map((eq) => (eq.k === 'value' && eq.text === 't' ? NULL : a));
}

function coalesce(args: readonly (() => Outcome[])[]): Outcome[] {
  const result: Outcome[] = [];
  for (const arg of args) {
    const set = arg();
    result.push(...set.filter((o) => o.k !== 'null'));
    if (!set.some((o) => o.k === 'null')) return outcomes(result);
  }
  return outcomes([...result, NULL]);
}

function quantified(op: string, all: boolean, left: readonly Outcome[], items: readonly (readonly Outcome[])[]): Outcome[] {
  const each = items.map((item) => () => truthsOf(lift2(left, item, (a, b) => applyOperator(op, a, b))));
  return outcomesOf(connective(all ? 'and' : 'or', each));
}

function caseWhen(expr: Expr & { kind: 'case' }, ev: (e: Expr) => Outcome[]): Outcome[] {
  const subject = expr.subject === null ? null : ev(expr.subject);
  const result: Outcome[] = [];
  for (const { when, then } of expr.whens) {
    const cond = subject === null ? truthsOf(ev(when)) : truthsOf(lift2(subject, ev(when), (a, b) => applyOperator('=', a, b)));
    if (cond & T) result.push(...ev(then));
    if (cond & E) result.push(ERROR);
    if ((cond & (F | N)) === 0) return outcomes(result);
  }
  result.push(...(expr.otherwise === null ? [NULL] : ev(expr.otherwise)));
  return outcomes(result);
}
