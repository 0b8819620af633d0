/**
 * The small text syntax the manifest uses to name tables and hops:
 *
 *   table | schema.table | table(column)            a table reference
 *   column -> table | column -> table(column)       one backfill hop
 *
 * Names are taken literally (case-sensitive, no SQL folding); a name with
 * spaces, dots or parentheses is written in double quotes, with `""` for a
 * quote inside it.
 */

type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'dot' | 'open' | 'close' | 'arrow' };

const BARE = /[A-Za-z0-9_$\u0080-\uffff]/u;

function tokenize(source: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '.') {
      tokens.push({ kind: 'dot' });
      i++;
    } else if (ch === '(') {
      tokens.push({ kind: 'open' });
      i++;
    } else if (ch === ')') {
      tokens.push({ kind: 'close' });
      i++;
    } else if (ch === '-' && source[i + 1] === '>') {
      tokens.push({ kind: 'arrow' });
      i += 2;
    } else if (ch === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) return 'unterminated quoted name';
        if (source[i] === '"') {
          if (source[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i];
        i++;
      }
      if (text === '') return 'empty quoted name';
      tokens.push({ kind: 'ident', text });
    } else if (BARE.test(ch)) {
      let text = '';
      while (i < source.length && BARE.test(source[i] ?? '')) {
        text += source[i];
        i++;
      }
      tokens.push({ kind: 'ident', text });
    } else {
      return `unexpected character ${JSON.stringify(ch)}`;
    }
  }
  return tokens;
}

export interface TableRef {
  /** Schema when written `schema.table`. */
  readonly schema: string | null;
  readonly table: string;
  /** Column when written `table(column)`. */
  readonly column: string | null;
}

export interface HopRef {
  readonly column: string;
  readonly target: TableRef;
}

class Cursor {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.index];
  }
  next(): Token | undefined {
    const token = this.tokens[this.index];
    this.index++;
    return token;
  }
  done(): boolean {
    return this.index >= this.tokens.length;
  }
  ident(what: string): string {
    const token = this.next();
    if (token?.kind !== 'ident') throw new SyntaxError(`expected ${what}`);
    return token.text;
  }
}

function readTableRef(cursor: Cursor): TableRef {
  const first = cursor.ident('a table name');
  let schema: string | null = null;
  let table = first;
  if (cursor.peek()?.kind === 'dot') {
    cursor.next();
    schema = first;
    table = cursor.ident('a table name after "."');
  }
  let column: string | null = null;
  if (cursor.peek()?.kind === 'open') {
    cursor.next();
    column = cursor.ident('a column name inside "( )"');
    if (cursor.next()?.kind !== 'close') throw new SyntaxError('expected ")"');
  }
  return { schema, table, column };
}

function parseWith<T>(source: string, read: (cursor: Cursor) => T): T | { error: string } {
  const tokens = tokenize(source);
  if (typeof tokens === 'string') return { error: tokens };
  const cursor = new Cursor(tokens);
  try {
    const value = read(cursor);
    if (!cursor.done()) return { error: 'unexpected text after the reference' };
    return value;
  } catch (e) {
    if (e instanceof SyntaxError) return { error: e.message };
    throw e;
  }
}

/** `companies`, `billing.invoices`, `companies(id)`. */
export function parseTableRef(source: string): TableRef | { error: string } {
  return parseWith(source, readTableRef);
}

/** `user_id -> users`, `wa_id -> customers(wa_id)`. */
export function parseHop(source: string): HopRef | { error: string } {
  return parseWith(source, (cursor) => {
    const column = cursor.ident('a column name before "->"');
    if (cursor.next()?.kind !== 'arrow') throw new SyntaxError('expected "->" after the column name');
    return { column, target: readTableRef(cursor) };
  });
}

export function isParseError(value: object): value is { error: string } {
  return 'error' in value;
}

export interface FunctionRef {
  readonly schema: string | null;
  readonly name: string;
  /** The argument types as written between the parentheses: `integer, text`. */
  readonly args: string;
}

/** `report(integer)`, `billing."Monthly total"(uuid, date)`: a function and its argument types. */
export function parseFunctionRef(source: string): FunctionRef | { error: string } {
  let open = -1;
  let quoted = false;
  for (let i = 0; i < source.length && open < 0; i++) {
    if (source[i] === '"') quoted = !quoted;
    else if (source[i] === '(' && !quoted) open = i;
  }
  const text = source.trimEnd();
  if (open < 0 || !text.endsWith(')')) return { error: 'expected the argument types in parentheses, e.g. report(integer) or report()' };
  const name = parseTableRef(source.slice(0, open));
  if (isParseError(name)) return name;
  if (name.column !== null) return { error: 'expected a function name before "("' };
  return { schema: name.schema, name: name.table, args: text.slice(open + 1, -1).trim() };
}
