/** A token of SQL text; identifiers unquoted are folded to lower case, as PostgreSQL does. */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'punct';
  /** word: lower-cased; quoted: the name; string: the value; others: as written. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
const PUNCT = '()[],;.:';

/**
 * Splits SQL text into tokens, skipping comments and whitespace. Throws on
 * an unterminated literal: the caller treats the text as unreadable.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 2;
    } else if (c === "'" || ((c === 'E' || c === 'e') && text[i + 1] === "'")) {
      const escaped = c !== "'";
      const [value, end] = readString(text, escaped ? i + 1 : i, escaped);
      tokens.push({ kind: 'string', value, start: i, end });
      i = end;
    } else if (c === '"') {
      const [value, end] = readQuoted(text, i, '"');
      tokens.push({ kind: 'quoted', value, start: i, end });
      i = end;
    } else if (c === '$' && /[0-9]/.test(text[i + 1] ?? '')) {
      const m = /^\$[0-9]+/.exec(text.slice(i)) ?? ['$'];
      tokens.push({ kind: 'param', value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i));
      if (tag === null) throw new Error('stray $');
      const close = text.indexOf(tag[0], i + tag[0].length);
      if (close < 0) throw new Error('unterminated dollar-quoted string');
      tokens.push({ kind: 'string', value: text.slice(i + tag[0].length, close), start: i, end: close + tag[0].length });
      i = close + tag[0].length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i)) ?? [c];
      tokens.push({ kind: 'number', value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i)) ?? [c];
      tokens.push({ kind: 'word', value: m[0].toLowerCase(), start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (c === ':' && text[i + 1] === ':') {
      tokens.push({ kind: 'op', value: '::', start: i, end: i + 2 });
      i += 2;
    } else if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
    } else if (OPERATOR_CHARS.includes(c)) {
      const end = operatorEnd(text, i);
      tokens.push({ kind: 'op', value: text.slice(i, end), start: i, end });
      i = end;
    } else {
      throw new Error(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

/** PostgreSQL's lexer rule: an operator is a run of operator characters, but it may not end in + or - unless it holds one of ~!@#%^&|`?. */
function operatorEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && OPERATOR_CHARS.includes(text[end] ?? '') && !text.startsWith('--', end) && !text.startsWith('/*', end)) end++;
  while (end - start > 1 && '+-'.includes(text[end - 1] ?? '') && !/[~!@#%^&|`?]/.test(text.slice(start, end - 1))) end--;
  return end;
}

function readString(text: string, quote: number, escapes: boolean): [string, number] {
  let value = '';
  let i = quote + 1;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === "'" && text[i + 1] === "'") {
      value += "'";
      i += 2;
    } else if (c === "'") {
      return [value, i + 1];
    } else if (escapes && c === '\\' && i + 1 < text.length) {
      const next = text[i + 1] ?? '';
      value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  throw new Error('unterminated string literal');
}

function readQuoted(text: string, open: number, quote: string): [string, number] {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === quote && text[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (text[i] === quote) {
      return [value, i + 1];
    } else {
      value += text[i];
      i++;
    }
  }
  throw new Error('unterminated quoted identifier');
}
