/**
 * Values the prover computes with. An expression evaluates to a set of
 * outcomes: a concrete value, NULL, an error, or "some non-null value of
 * this type" where the prover cannot know which (a sub-select, a plpgsql
 * function). Sets keep the evaluation sound: what PostgreSQL would compute is
 * always one of the outcomes.
 */
export type ValueType = 'text' | 'uuid' | 'int' | 'numeric' | 'bool' | 'any';

export type Outcome =
  | { readonly k: 'null' }
  | { readonly k: 'error' }
  | { readonly k: 'value'; readonly type: ValueType; readonly text: string }
  | { readonly k: 'some'; readonly type: ValueType };

export const NULL: Outcome = { k: 'null' };
export const ERROR: Outcome = { k: 'error' };
export const TRUE: Outcome = { k: 'value', type: 'bool', text: 't' };
export const FALSE: Outcome = { k: 'value', type: 'bool', text: 'f' };
/** Anything at all: what an expression the prover cannot read may produce. */
export const ANYTHING: readonly Outcome[] = [NULL, ERROR, { k: 'some', type: 'any' }, TRUE, FALSE];

export const value = (type: ValueType, text: string): Outcome => ({ k: 'value', type, text });
export const bool = (b: boolean): Outcome => (b ? TRUE : FALSE);

/** A set of outcomes without duplicates; "some boolean" is spelled out as true and false. */
export function outcomes(list: Iterable<Outcome>): Outcome[] {
  const out: Outcome[] = [];
  const add = (o: Outcome): void => {
    if (!out.some((x) => same(x, o))) out.push(o);
  };
  for (const o of list) {
    if (o.k === 'some' && o.type === 'bool') {
      add(TRUE);
      add(FALSE);
    } else add(o);
  }
  return out;
}

function same(a: Outcome, b: Outcome): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'value' && b.k === 'value') return a.type === b.type && a.text === b.text;
  if (a.k === 'some' && b.k === 'some') return a.type === b.type;
  return true;
}

const TYPES = new Map<string, ValueType>();

/** The prover's type for a PostgreSQL type name (format_type's or a cast's spelling). */
export function valueType(typeName: string): ValueType {
  let type = TYPES.get(typeName);
  if (type === undefined) {
    type = readType(typeName);
    TYPES.set(typeName, type);
  }
  return type;
}

function readType(typeName: string): ValueType {
  const name = typeName.toLowerCase().replace(/^pg_catalog\./, '').replace(/\(.*\)$/, '').trim();
  if (name.endsWith('[]')) return 'any';
  if (['text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'name', 'citext', 'unknown'].includes(name)) return 'text';
  if (name === 'uuid') return 'uuid';
  if (['integer', 'int', 'int4', 'bigint', 'int8', 'smallint', 'int2'].includes(name)) return 'int';
  if (['numeric', 'decimal', 'real', 'double precision', 'float4', 'float8'].includes(name)) return 'numeric';
  if (name === 'boolean' || name === 'bool') return 'bool';
  return 'any';
}

const UUID = /^\{?([0-9a-f]{4}-?){7}[0-9a-f]{4}\}?$/i;

/** PostgreSQL's uuid input: hex digits, hyphens after any group of four, optional braces; canonical form or null. */
export function parseUuid(text: string): string | null {
  const t = text.trim();
  if (!UUID.test(t) || (t.startsWith('{') !== t.endsWith('}'))) return null;
  const hex = t.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const INT8_MAX = 9223372036854775807n;

function parseInteger(text: string): string | null {
  if (!/^\s*[+-]?[0-9]+\s*$/.test(text)) return null;
  const n = BigInt(text.trim());
  return n > INT8_MAX || n < -INT8_MAX - 1n ? null : n.toString();
}

function parseBool(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t.length === 0) return null;
  if (['true', 'yes', 'on', '1'].some((w) => w.startsWith(t)) && t !== 'o') return true;
  if (['false', 'no', 'off', '0'].some((w) => w.startsWith(t)) && t !== 'o') return false;
  return null;
}

/** `o::target`: a cast that fails on malformed input is an error outcome, as in PostgreSQL. */
export function cast(o: Outcome, target: ValueType): Outcome[] {
  if (o.k === 'null' || o.k === 'error') return [o];
  if (target === 'any') return [{ k: 'some', type: 'any' }, ERROR];
  if (o.k === 'some') return o.type === target ? [o] : target === 'text' ? [{ k: 'some', type: 'text' }] : [{ k: 'some', type: target }, ERROR];
  if (o.type === target) return [o];
  const text = o.type === 'bool' ? (o.text === 't' ? 'true' : 'false') : o.text;
  switch (target) {
    case 'text':
      return [value('text', text)];
    case 'uuid': {
      if (o.type !== 'text') return [ERROR];
      const u = parseUuid(text);
      return [u === null ? ERROR : value('uuid', u)];
    }
    case 'int': {
      if (o.type === 'numeric') return [value('int', Math.round(Number(text)).toString())];
      if (o.type === 'bool') return [value('int', o.text === 't' ? '1' : '0')];
      const n = o.type === 'text' ? parseInteger(text) : null;
      return [n === null ? ERROR : value('int', n)];
    }
    case 'numeric': {
      if (o.type === 'int') return [value('numeric', text)];
      const n = o.type === 'text' && /^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/.test(text) ? Number(text) : Number.NaN;
      return [Number.isNaN(n) ? ERROR : value('numeric', String(n))];
    }
    case 'bool': {
      if (o.type === 'int') return [bool(text !== '0')];
      const b = o.type === 'text' ? parseBool(text) : null;
      return [b === null ? ERROR : bool(b)];
    }
    default: {
      const never: never = target;
      return never;
    }
  }
}

/** The outcome of `a op b` for two non-null concrete values; null when the prover cannot tell. */
export function compareValues(op: string, a: Outcome & { k: 'value' }, b: Outcome & { k: 'value' }): boolean | null {
  const numeric = (t: ValueType): boolean => t === 'int' || t === 'numeric';
  let order: number | null;
  if (numeric(a.type) && numeric(b.type)) order = Math.sign(Number(a.text) - Number(b.text));
  else if (a.type === 'any' || b.type === 'any') order = null;
  else if (a.text === b.text) order = 0;
  else if (a.type === b.type && (a.type === 'uuid' || a.type === 'bool')) order = a.text < b.text ? -1 : 1;
  // Text order depends on the collation: only equality is known.
  else order = Number.NaN;
  if (order === null) return null;
  switch (op) {
    case '=':
      return Number.isNaN(order) ? false : order === 0;
    case '<>':
      return Number.isNaN(order) ? true : order !== 0;
    case '<':
      return Number.isNaN(order) ? null : order < 0;
    case '>':
      return Number.isNaN(order) ? null : order > 0;
    case '<=':
      return Number.isNaN(order) ? null : order <= 0;
    case '>=':
      return Number.isNaN(order) ? null : order >= 0;
    default:
      return null;
  }
}

/** SQL LIKE (`%`, `_`, backslash escapes), case-insensitive for ILIKE. */
export function like(text: string, pattern: string, insensitive: boolean): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i] ?? '');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`, insensitive ? 'i' : '').test(text);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A POSIX regular expression match, when JavaScript reads the pattern the same way; null otherwise. */
export function regexMatch(text: string, pattern: string, insensitive: boolean): boolean | null {
  if (/\\[mMyYZA]|\[\[:|\(\?[#=!<]|\*\*\*/.test(pattern)) return null;
  try {
    return new RegExp(pattern, insensitive ? 'i' : '').test(text);
  } catch {
    return null;
  }
}
