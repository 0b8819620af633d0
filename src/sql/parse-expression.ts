import type { CallExpr, Expr, Span, SublinkExpr } from './expression.js';
import { type Token, tokenize } from './tokenize.js';

const COMPARISON = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const SQL_VALUES = new Set(['current_user', 'session_user', 'current_role', 'user', 'current_catalog', 'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp']);
/** Words that end an expression inside a larger statement. */
const STOP_WORDS = new Set(['as', 'from', 'where', 'group', 'having', 'order', 'limit', 'offset', 'union', 'intersect', 'except', 'then', 'when', 'else', 'end', 'and', 'or', 'is', 'escape', 'fetch', 'for', 'window', 'returning']);
const SELECT_CLAUSES = new Set(['from', 'where', 'group', 'having', 'order', 'limit', 'offset', 'union', 'intersect', 'except', 'window', 'fetch', 'for', 'distinct', 'into']);

class ParseError extends Error {}

/**
 * Parses an expression as pg_get_expr prints it, or as written in a SQL
 * function. Never throws: text it cannot read becomes an `opaque` node, which
 * every consumer treats as "could be anything".
 */
export function parseExpression(text: string): Expr {
  try {
    const parser = new ExpressionParser(text, tokenize(text));
    const expr = parser.parseOr();
    if (!parser.done()) throw new ParseError(`unexpected ${parser.peek()?.value ?? 'end'}`);
    return expr;
  } catch (error) {
    return { kind: 'opaque', reason: `cannot read ${JSON.stringify(text.trim().slice(0, 80))}: ${error instanceof Error ? error.message : String(error)}`, span: [0, text.length] };
  }
}

/**
 * The value a LANGUAGE sql function returns, when its body is one FROM-less
 * statement: `SELECT expr`, `RETURN expr`, or that inside BEGIN ATOMIC ... END.
 * Anything else (several statements, a FROM clause) is returned as a reason.
 */
export function parseFunctionBody(text: string): Expr | { readonly reason: string } {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    return { reason: `its body cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  let body = tokens;
  if (body[0]?.value === 'begin' && body[1]?.value === 'atomic') body = body.slice(2, body[body.length - 1]?.value === 'end' ? -1 : undefined);
  while (body.length > 0 && body[body.length - 1]?.value === ';') body = body.slice(0, -1);
  if (body.some((t) => t.kind === 'punct' && t.value === ';')) return { reason: 'its body has several statements' };
  const head = body[0]?.value;
  if (head !== 'select' && head !== 'return') return { reason: `its body is not a single SELECT (${head ?? 'empty'})` };
  const inner = selectListExpression(text, body.slice(1));
  return inner ?? { reason: 'its body reads tables or is more than one expression' };
}

/** The one expression of `SELECT expr [AS alias]` with no other clause, or null. */
function selectListExpression(text: string, tokens: readonly Token[]): Expr | null {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && (t.value === '(' || t.value === '[')) depth++;
    else if (t.kind === 'punct' && (t.value === ')' || t.value === ']')) depth--;
    else if (depth === 0 && t.kind === 'word' && SELECT_CLAUSES.has(t.value)) return null;
    else if (depth === 0 && t.kind === 'punct' && t.value === ',') return null;
  }
  try {
    const parser = new ExpressionParser(text, tokens);
    const expr = parser.parseOr();
    parser.skipAlias();
    return parser.done() ? expr : null;
  } catch {
    return null;
  }
}

class ExpressionParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  done(): boolean {
    return this.pos >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new ParseError('unexpected end');
    return t;
  }

  private isWord(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.value === value;
  }

  private isPunct(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'punct' && t.value === value;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.value === value;
  }

  private expectPunct(value: string): Token {
    if (!this.isPunct(value)) throw new ParseError(`expected ${value}`);
    return this.next();
  }

  private expectWord(value: string): void {
    if (!this.isWord(value)) throw new ParseError(`expected ${value.toUpperCase()}`);
    this.pos++;
  }

  private span(start: number): Span {
    const last = this.tokens[this.pos - 1];
    return [this.tokens[start]?.start ?? 0, last?.end ?? this.text.length];
  }

  skipAlias(): void {
    if (this.isWord('as')) this.pos += 2;
    else if (this.peek()?.kind === 'word' || this.peek()?.kind === 'quoted') this.pos++;
  }

  parseOr(): Expr {
    const start = this.pos;
    const args = [this.parseAnd()];
    while (this.isWord('or')) {
      this.pos++;
      args.push(this.parseAnd());
    }
    return args.length === 1 ? (args[0] as Expr) : { kind: 'or', args: args.flatMap((a) => (a.kind === 'or' ? a.args : [a])), span: this.span(start) };
  }

  private parseAnd(): Expr {
    const start = this.pos;
    const args = [this.parseNot()];
    while (this.isWord('and')) {
      this.pos++;
      args.push(this.parseNot());
    }
    return args.length === 1 ? (args[0] as Expr) : { kind: 'and', args: args.flatMap((a) => (a.kind === 'and' ? a.args : [a])), span: this.span(start) };
  }

  private parseNot(): Expr {
    const start = this.pos;
    if (this.isWord('not')) {
      this.pos++;
      return { kind: 'not', expr: this.parseNot(), span: this.span(start) };
    }
    return this.parseIs();
  }

  private parseIs(): Expr {
    const start = this.pos;
    let expr = this.parseComparison();
    for (;;) {
      if (this.isWord('isnull') || this.isWord('notnull')) {
        const negated = this.next().value === 'notnull';
        expr = { kind: 'test', test: 'null', negated, expr, span: this.span(start) };
        continue;
      }
      if (!this.isWord('is')) return expr;
      this.pos++;
      const negated = this.isWord('not');
      if (negated) this.pos++;
      const what = this.next();
      if (what.kind === 'word' && (what.value === 'null' || what.value === 'true' || what.value === 'false' || what.value === 'unknown')) {
        expr = { kind: 'test', test: what.value, negated, expr, span: this.span(start) };
      } else if (what.kind === 'word' && what.value === 'distinct') {
        this.expectWord('from');
        expr = { kind: 'distinct', negated, left: expr, right: this.parseComparison(), span: this.span(start) };
      } else {
        throw new ParseError(`IS ${what.value.toUpperCase()} is not read`);
      }
    }
  }

  private parseComparison(): Expr {
    const start = this.pos;
    let left = this.parseLikeIn();
    while (this.peek()?.kind === 'op' && COMPARISON.has(this.peek()?.value ?? '')) {
      const raw = this.next().value;
      const op = raw === '!=' ? '<>' : raw;
      if ((this.isWord('any') || this.isWord('some') || this.isWord('all')) && this.isPunct('(', 1)) {
        const all = this.next().value === 'all';
        left = this.parseQuantified(start, left, op, all);
      } else {
        left = { kind: 'op', op, left, right: this.parseLikeIn(), span: this.span(start) };
      }
    }
    return left;
  }

  /** `left op ANY (ARRAY[...])`, `left op ANY (SELECT ...)`. */
  private parseQuantified(start: number, left: Expr, op: string, all: boolean): Expr {
    if (this.isWord('select', 1) || this.isWord('with', 1) || this.isWord('values', 1)) {
      const sub = this.parseSublink('any');
      return all ? { kind: 'opaque', reason: `${op} ALL over a sub-select`, span: this.span(start) } : { ...sub, left, op, span: this.span(start) };
    }
    this.expectPunct('(');
    const array = this.parseOr();
    this.expectPunct(')');
    if (array.kind !== 'array') return { kind: 'opaque', reason: `${op} ${all ? 'ALL' : 'ANY'} over an array that is not a literal`, span: this.span(start) };
    return { kind: 'any', op, all, left, items: array.items, span: this.span(start) };
  }

  private parseLikeIn(): Expr {
    const start = this.pos;
    let left = this.parseOther();
    for (;;) {
      const negated = this.isWord('not') && ['like', 'ilike', 'similar', 'in', 'between'].some((w) => this.isWord(w, 1));
      if (negated) this.pos++;
      if (this.isWord('like') || this.isWord('ilike')) {
        const op = this.next().value === 'like' ? '~~' : '~~*';
        const right = this.parseOther();
        if (this.isWord('escape')) throw new ParseError('LIKE ... ESCAPE is not read');
        left = { kind: 'op', op: negated ? `!${op}` : op, left, right, span: this.span(start) };
      } else if (this.isWord('similar')) {
        this.pos++;
        this.expectWord('to');
        const right = this.parseOther();
        left = { kind: 'op', op: negated ? '!similar' : 'similar', left, right, span: this.span(start) };
      } else if (this.isWord('in')) {
        this.pos++;
        left = this.parseInList(start, left, negated);
      } else if (this.isWord('between')) {
        this.pos++;
        if (this.isWord('symmetric') || this.isWord('asymmetric')) this.pos++;
        const low = this.parseOther();
        this.expectWord('and');
        left = { kind: 'between', negated, expr: left, low, high: this.parseOther(), span: this.span(start) };
      } else {
        if (negated) this.pos--;
        return left;
      }
    }
  }

  private parseInList(start: number, left: Expr, negated: boolean): Expr {
    let expr: Expr;
    if (this.isWord('select', 1) || this.isWord('with', 1) || this.isWord('values', 1)) {
      expr = { ...this.parseSublink('any'), left, op: '=', span: this.span(start) };
    } else {
      this.expectPunct('(');
      const items = [this.parseOr()];
      while (this.isPunct(',')) {
        this.pos++;
        items.push(this.parseOr());
      }
      this.expectPunct(')');
      expr = { kind: 'any', op: '=', all: false, left, items, span: this.span(start) };
    }
    return negated ? { kind: 'not', expr, span: this.span(start) } : expr;
  }

  private parseOther(): Expr {
    const start = this.pos;
    let left = this.parseAdditive();
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'op' || COMPARISON.has(t.value) || ARITHMETIC.has(t.value) || t.value === '::') return left;
      this.pos++;
      left = { kind: 'op', op: t.value, left, right: this.parseAdditive(), span: this.span(start) };
    }
  }

  private parseAdditive(): Expr {
    const start = this.pos;
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value;
      left = { kind: 'op', op, left, right: this.parseMultiplicative(), span: this.span(start) };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    const start = this.pos;
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%') || this.isOp('^')) {
      const op = this.next().value;
      left = { kind: 'op', op, left, right: this.parseUnary(), span: this.span(start) };
    }
    return left;
  }

  private parseUnary(): Expr {
    const start = this.pos;
    if (this.isOp('-')) {
      this.pos++;
      return { kind: 'negate', expr: this.parseUnary(), span: this.span(start) };
    }
    if (this.isOp('+')) {
      this.pos++;
      return this.parseUnary();
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    const start = this.pos;
    let expr = this.parsePrimary();
    for (;;) {
      if (this.isOp('::')) {
        this.pos++;
        expr = { kind: 'cast', expr, type: this.parseTypeName(), span: this.span(start) };
      } else if (this.isPunct('[')) {
        this.skipBalanced('[', ']');
        expr = { kind: 'opaque', reason: 'an array subscript', span: this.span(start) };
      } else if (this.isWord('collate')) {
        this.pos++;
        this.parseQualifiedName();
      } else if (this.isWord('at') && this.isWord('time', 1)) {
        this.pos += 3;
        this.parseUnary();
        expr = { kind: 'opaque', reason: 'AT TIME ZONE', span: this.span(start) };
      } else {
        return expr;
      }
    }
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.kind === 'punct' && t.value === open) depth++;
      else if (t.kind === 'punct' && t.value === close) depth--;
    } while (depth > 0);
  }

  private parseQualifiedName(): string[] {
    const parts: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind !== 'word' && t.kind !== 'quoted') throw new ParseError(`expected a name, got ${t.value}`);
      parts.push(t.value);
      if (!this.isPunct('.')) return parts;
      this.pos++;
    }
  }

  /** A type name after `::` or in CAST: multi-word names, a type modifier and array brackets included. */
  private parseTypeName(): string {
    const parts = this.parseQualifiedName();
    let name = parts.join('.');
    const follow: Record<string, string[]> = { character: ['varying'], char: ['varying'], bit: ['varying'], double: ['precision'] };
    for (const word of follow[name] ?? []) if (this.isWord(word)) name += ` ${this.next().value}`;
    if (this.isPunct('(')) this.skipBalanced('(', ')');
    if ((name === 'timestamp' || name === 'time') && (this.isWord('with') || this.isWord('without'))) {
      name += ` ${this.next().value}`;
      this.expectWord('time');
      this.expectWord('zone');
      name += ' time zone';
    }
    while (this.isPunct('[')) {
      this.skipBalanced('[', ']');
      name += '[]';
    }
    return name;
  }

  private parsePrimary(): Expr {
    const start = this.pos;
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'const', value: t.value, type: 'numeric', span: this.span(start) };
      case 'string':
        return { kind: 'const', value: t.value, type: 'unknown', span: this.span(start) };
      case 'param':
        return { kind: 'param', index: Number(t.value.slice(1)), span: this.span(start) };
      case 'punct':
        if (t.value === '(') return this.parseParenthesized(start);
        throw new ParseError(`unexpected ${t.value}`);
      case 'op':
        throw new ParseError(`unexpected operator ${t.value}`);
      case 'quoted':
        this.pos--;
        return this.parseNameOrCall(start);
      case 'word':
        return this.parseWord(start, t.value);
      default: {
        const never: never = t.kind;
        return never;
      }
    }
  }

  private parseParenthesized(start: number): Expr {
    if (this.isWord('select') || this.isWord('with') || this.isWord('values')) {
      this.pos--;
      return this.parseSublink('scalar');
    }
    const expr = this.parseOr();
    if (this.isPunct(',')) {
      while (!this.isPunct(')')) this.next();
      this.pos++;
      return { kind: 'opaque', reason: 'a row constructor', span: this.span(start) };
    }
    this.expectPunct(')');
    return expr;
  }

  private parseWord(start: number, word: string): Expr {
    if (word === 'true' || word === 'false') return { kind: 'const', value: word, type: 'bool', span: this.span(start) };
    if (word === 'null') return { kind: 'const', value: null, type: 'unknown', span: this.span(start) };
    if (SQL_VALUES.has(word) && !this.isPunct('(')) return { kind: 'sqlvalue', name: word, span: this.span(start) };
    if (word === 'exists' && this.isPunct('(')) return this.parseSublink('exists');
    if (word === 'case') return this.parseCase(start);
    if (word === 'array' && this.isPunct('[')) return this.parseArray(start);
    if (word === 'cast' && this.isPunct('(')) {
      this.pos++;
      const expr = this.parseOr();
      this.expectWord('as');
      const type = this.parseTypeName();
      this.expectPunct(')');
      return { kind: 'cast', expr, type, span: this.span(start) };
    }
    if ((word === 'nullif' || word === 'coalesce') && this.isPunct('(')) {
      const args = this.parseArguments();
      if (word === 'coalesce') return { kind: 'coalesce', args, span: this.span(start) };
      const [left, right] = args;
      if (args.length !== 2 || left === undefined || right === undefined) throw new ParseError('NULLIF takes two arguments');
      return { kind: 'nullif', left, right, span: this.span(start) };
    }
    if ((word === 'row' || word === 'interval') && (this.isPunct('(') || this.peek()?.kind === 'string')) {
      if (this.isPunct('(')) this.skipBalanced('(', ')');
      else this.pos++;
      return { kind: 'opaque', reason: word === 'row' ? 'a row constructor' : 'an interval', span: this.span(start) };
    }
    if (STOP_WORDS.has(word) || word === 'not' || word === 'select') throw new ParseError(`unexpected ${word.toUpperCase()}`);
    this.pos--;
    return this.parseNameOrCall(start);
  }

  private parseNameOrCall(start: number): Expr {
    const parts = this.parseQualifiedName();
    if (this.isPunct('(')) {
      const args = this.parseArguments();
      const name = parts[parts.length - 1] ?? '';
      const call: CallExpr = { kind: 'call', schema: parts.length > 1 ? (parts[parts.length - 2] ?? null) : null, name, args, span: this.span(start) };
      return call;
    }
    if (this.peek()?.kind === 'string' && parts.length <= 2) {
      const value = this.next().value;
      return { kind: 'cast', expr: { kind: 'const', value, type: 'unknown', span: this.span(start) }, type: parts.join('.'), span: this.span(start) };
    }
    const name = parts[parts.length - 1] ?? '';
    return { kind: 'column', name, qualifier: parts.length > 1 ? (parts[parts.length - 2] ?? null) : null, span: this.span(start) };
  }

  /** `(a, b, ...)` of a call; calls with `*`, DISTINCT, ORDER BY, VARIADIC or named arguments are not read. */
  private parseArguments(): Expr[] {
    this.expectPunct('(');
    const args: Expr[] = [];
    if (this.isPunct(')')) {
      this.pos++;
      return args;
    }
    for (;;) {
      if (this.isOp('*') || this.isWord('distinct') || this.isWord('variadic') || this.isWord('all')) throw new ParseError('an aggregate or variadic call');
      args.push(this.parseOr());
      if (this.isOp('=>') || this.isWord('order')) throw new ParseError('named arguments or ORDER BY in a call');
      if (this.isPunct(')')) {
        this.pos++;
        return args;
      }
      this.expectPunct(',');
    }
  }

  private parseArray(start: number): Expr {
    this.expectPunct('[');
    const items: Expr[] = [];
    while (!this.isPunct(']')) {
      items.push(this.isPunct('[') ? this.parseArray(this.pos) : this.parseOr());
      if (this.isPunct(',')) this.pos++;
    }
    this.pos++;
    return { kind: 'array', items, span: this.span(start) };
  }

  private parseCase(start: number): Expr {
    const subject = this.isWord('when') ? null : this.parseOr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.isWord('when')) {
      this.pos++;
      const when = this.parseOr();
      this.expectWord('then');
      whens.push({ when, then: this.parseOr() });
    }
    let otherwise: Expr | null = null;
    if (this.isWord('else')) {
      this.pos++;
      otherwise = this.parseOr();
    }
    this.expectWord('end');
    return { kind: 'case', subject, whens, otherwise, span: this.span(start) };
  }

  /** `( SELECT ... )` at the current position (the opening parenthesis). */
  private parseSublink(form: SublinkExpr['form']): SublinkExpr {
    const open = this.expectPunct('(');
    const first = this.pos;
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'punct' && t.value === '(') depth++;
      else if (t.kind === 'punct' && t.value === ')') depth--;
    }
    const inside = this.tokens.slice(first, this.pos - 1);
    const inner = form === 'scalar' && inside[0]?.value === 'select' ? selectListExpression(this.text, inside.slice(1)) : null;
    return { kind: 'sublink', form, left: null, op: null, inner, tables: namedTables(inside), span: [open.start, this.tokens[this.pos - 1]?.end ?? open.end] };
  }
}

/** Relations named after FROM or JOIN in a sub-select's tokens, as written. */
function namedTables(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'word' || (t.value !== 'from' && t.value !== 'join')) continue;
    const parts: string[] = [];
    let j = i + 1;
    while (tokens[j]?.kind === 'word' || tokens[j]?.kind === 'quoted') {
      parts.push(tokens[j]?.value ?? '');
      if (tokens[j + 1]?.value !== '.') break;
      j += 2;
    }
    if (parts.length > 0 && parts[0] !== 'lateral') out.push(parts.join('.'));
  }
  return out;
}
