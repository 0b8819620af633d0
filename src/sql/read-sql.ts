/**
 * Reading SQL text back: the migration files rlsgen wrote (or a user put in
 * the folder) split into statements and tokens, so that `rlsgen apply` can
 * tell what each statement needs and compare what the catalog holds with what
 * was generated. A lexer, not a parser: it knows PostgreSQL's quoting rules
 * (https://www.postgresql.org/docs/current/sql-syntax-lexical.html) and
 * nothing of its grammar.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'dollar' | 'number' | 'punct';

export interface SqlToken {
  readonly kind: TokenKind;
  /**
   * `word`: lower-cased; `quoted`: the identifier without its quotes;
   * `string` and `dollar`: the literal's content; otherwise the text itself.
   */
  readonly value: string;
  /** Offset of the token in the text it was read from. */
  readonly offset: number;
}

export interface SqlStatement {
  /** The statement as written, without its `;`. */
  readonly text: string;
  /** Offset of its first token in the file. */
  readonly offset: number;
  /** 1-based line of its first token. */
  readonly line: number;
  readonly tokens: readonly SqlToken[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Splits SQL text into tokens, skipping comments and whitespace. */
export function tokenize(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 0;
      while (i < n) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'" && !IDENT_PART.test(text[i - 1] ?? ' '))) {
      const start = i;
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      let value = '';
      while (i < n) {
        const ch = text[i] as string;
        if (escapes && ch === '\\') {
          value += text[i + 1] ?? '';
          i += 2;
        } else if (ch === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ kind: 'string', value, offset: start });
    } else if (c === '"') {
      const start = i;
      i++;
      let value = '';
      while (i < n) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ kind: 'quoted', value, offset: start });
    } else if (c === '$' && !IDENT_PART.test(text[i - 1] ?? ' ') && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = (DOLLAR_TAG.exec(text.slice(i, i + 64)) as RegExpExecArray)[0];
      const start = i;
      const close = text.indexOf(tag, i + tag.length);
      const end = close < 0 ? n : close;
      tokens.push({ kind: 'dollar', value: text.slice(i + tag.length, end), offset: start });
      i = close < 0 ? n : close + tag.length;
    } else if (IDENT_START.test(c)) {
      const start = i;
      while (i < n && IDENT_PART.test(text[i] as string)) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i).toLowerCase(), offset: start });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9.]/.test(text[i] as string)) i++;
      tokens.push({ kind: 'number', value: text.slice(start, i), offset: start });
    } else {
      tokens.push({ kind: 'punct', value: c, offset: i });
      i++;
    }
  }
  return tokens;
}

/** The statements of a file, split at top-level semicolons. */
export function splitStatements(text: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let current: SqlToken[] = [];
  const flush = (endOffset: number): void => {
    const first = current[0];
    if (first !== undefined) {
      out.push({ text: text.slice(first.offset, endOffset).trim(), offset: first.offset, line: lineOf(text, first.offset), tokens: current });
    }
    current = [];
  };
  for (const token of tokenize(text)) {
    if (token.kind === 'punct' && token.value === ';') flush(token.offset);
    else current.push(token);
  }
  flush(text.length);
  return out;
}

/** 1-based line and column of a 1-based character position in a text (PostgreSQL's error positions). */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, position - 1));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** 1-based line of a 0-based offset. */
export const lineOf = (text: string, offset: number): number => lineColumn(text, offset + 1).line;

/** True when the tokens from `at` are these words (lower case), in order. */
export function wordsAt(tokens: readonly SqlToken[], at: number, ...words: readonly string[]): boolean {
  return words.every((w, k) => {
    const t = tokens[at + k];
    return t !== undefined && t.kind === 'word' && t.value === w;
  });
}

/** A possibly qualified name (`schema.name`, `"Odd Name"`) starting at token `at`. */
export interface NameAt {
  readonly parts: readonly string[];
  /** Index of the first token after the name. */
  readonly next: number;
}

export function nameAt(tokens: readonly SqlToken[], at: number): NameAt | null {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const t = tokens[i];
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'quoted')) return parts.length === 0 ? null : { parts, next: i };
    parts.push(t.value);
    i++;
    const dot = tokens[i];
    if (dot === undefined || dot.kind !== 'punct' || dot.value !== '.') return { parts, next: i };
    i++;
  }
}

/** Index of the `)` that closes the `(` at `open`, or -1. */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as SqlToken;
    if (t.kind !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Index of the first top-level (not parenthesised) word `word` at or after `from`, or -1. */
export function findWord(tokens: readonly SqlToken[], word: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as SqlToken;
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.value === word) return i;
  }
  return -1;
}
