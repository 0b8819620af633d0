/**
 * A scalar SQL expression as PostgreSQL prints it (pg_get_expr of a policy's
 * USING or WITH CHECK) or as a user writes it (a LANGUAGE sql function body).
 * Every node keeps the span of source text it was read from, for messages.
 */
export type Expr =
  | ConstExpr
  | { readonly kind: 'column'; readonly name: string; readonly qualifier: string | null; readonly span: Span }
  | { readonly kind: 'param'; readonly index: number; readonly span: Span }
  | CallExpr
  | { readonly kind: 'cast'; readonly expr: Expr; readonly type: string; readonly span: Span }
  | { readonly kind: 'op'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'negate'; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'not'; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'test'; readonly test: 'null' | 'true' | 'false' | 'unknown'; readonly negated: boolean; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'distinct'; readonly negated: boolean; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'any'; readonly op: string; readonly all: boolean; readonly left: Expr; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'between'; readonly negated: boolean; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly span: Span }
  | { readonly kind: 'nullif'; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'coalesce'; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'case'; readonly subject: Expr | null; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly otherwise: Expr | null; readonly span: Span }
  | { readonly kind: 'array'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'sqlvalue'; readonly name: string; readonly span: Span }
  | SublinkExpr
  | { readonly kind: 'opaque'; readonly reason: string; readonly span: Span };

/** Offsets [start, end) into the text the expression was parsed from. */
export type Span = readonly [number, number];

export interface ConstExpr {
  readonly kind: 'const';
  /** The literal's text, null for NULL; booleans are 'true' / 'false'. */
  readonly value: string | null;
  /** 'bool', 'numeric' for a bare number, 'unknown' for a bare string, else the cast it carries in pg_get_expr's output ('text', 'uuid'). */
  readonly type: string;
  readonly span: Span;
}

export interface CallExpr {
  readonly kind: 'call';
  readonly schema: string | null;
  readonly name: string;
  readonly args: readonly Expr[];
  readonly span: Span;
}

/**
 * A sub-select. `(SELECT expr)` without FROM is a value the planner runs once
 * (an InitPlan) and is modelled as `inner`; any other sub-select reads tables
 * and is only described: the tables it names, and its text.
 */
export interface SublinkExpr {
  readonly kind: 'sublink';
  readonly form: 'scalar' | 'exists' | 'any';
  /** For `x IN (SELECT ...)` / `x = ANY (SELECT ...)`: x and the operator. */
  readonly left: Expr | null;
  readonly op: string | null;
  /** The single select-list expression of a FROM-less sub-select, else null. */
  readonly inner: Expr | null;
  /** Relations named after FROM or JOIN, as written (`public.memberships`, `t`). */
  readonly tables: readonly string[];
  readonly span: Span;
}

/** The source text a node was read from. */
export function spanText(source: string, expr: Expr): string {
  return source.slice(expr.span[0], expr.span[1]).trim();
}

/** Every node of an expression, depth first, the node before its children; sub-selects' inner expressions included. */
export function* walkExpression(expr: Expr): Generator<Expr> {
  yield expr;
  for (const child of children(expr)) yield* walkExpression(child);
}

export function children(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'const':
    case 'column':
    case 'param':
    case 'sqlvalue':
    case 'opaque':
      return [];
    case 'call':
    case 'and':
    case 'or':
    case 'coalesce':
      return expr.args;
    case 'array':
      return expr.items;
    case 'cast':
    case 'negate':
    case 'not':
    case 'test':
      return [expr.expr];
    case 'op':
    case 'distinct':
    case 'nullif':
      return [expr.left, expr.right];
    case 'any':
      return [expr.left, ...expr.items];
    case 'between':
      return [expr.expr, expr.low, expr.high];
    case 'case':
      return [...(expr.subject === null ? [] : [expr.subject]), ...expr.whens.flatMap((w) => [w.when, w.then]), ...(expr.otherwise === null ? [] : [expr.otherwise])];
    case 'sublink':
      return [...(expr.left === null ? [] : [expr.left]), ...(expr.inner === null ? [] : [expr.inner])];
    default: {
      const never: never = expr;
      return never;
    }
  }
}
