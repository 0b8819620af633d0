import { MAX_IDENTIFIER_BYTES } from '../sql/quote.js';

/** Why a name cannot be used, as a diagnostic code and message. */
export interface NameProblem {
  readonly code: string;
  readonly message: string;
  readonly help?: string;
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const ZERO_WIDTH = /[\u180e\u200b-\u200d\u2060\ufeff]/u;
/**
 * Characters a reviewer cannot see, or that change how the text around them
 * is shown: controls, format characters (bidirectional controls, zero-width
 * characters, the soft hyphen), spaces other than U+0020, line and paragraph
 * separators, surrogates, private-use and unassigned code points, and U+FFFD,
 * which stands for bytes that were not UTF-8.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd]/u;

const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

const codePoint = (ch: string): string => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

function describe(ch: string): string {
  if (ch === '\u0000') return 'a NUL character, which PostgreSQL cannot store';
  if (BIDI.test(ch)) return `${codePoint(ch)}, a bidirectional control character that reorders how the text around it is shown`;
  if (ZERO_WIDTH.test(ch)) return `${codePoint(ch)}, a zero-width character`;
  if (ch === '\ufffd') return 'U+FFFD, the replacement character that stands for bytes that were not valid UTF-8';
  if (/\p{Cc}/u.test(ch)) return `${codePoint(ch)}, a control character`;
  if (/\p{Cs}/u.test(ch)) return `${codePoint(ch)}, half of a UTF-16 surrogate pair, which is not text`;
  if (/[\p{Zs}\p{Zl}\p{Zp}]/u.test(ch)) return `${codePoint(ch)}, a space or line break other than U+0020`;
  if (/[\p{Co}\p{Cn}]/u.test(ch)) return `${codePoint(ch)}, a private-use or unassigned code point`;
  return `${codePoint(ch)}, an invisible formatting character`;
}

/** The first character of `text` a reviewer cannot see (see INVISIBLE), with its 1-based index, or null. */
export function invisibleCharacter(text: string, allowed: string = ''): { readonly index: number; readonly description: string } | null {
  let index = 0;
  for (const ch of text) {
    index++;
    if (INVISIBLE.test(ch) && !allowed.includes(ch)) return { index, description: describe(ch) };
  }
  return null;
}

/** `text` with each character a terminal would hide or reorder written as a `\u{...}` escape. */
export function escapeInvisible(text: string): string {
  return INVISIBLE_ALL.test(text) ? text.replace(INVISIBLE_ALL, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`) : text;
}

/** `name` with the characters a terminal would hide or reorder written as `\u{...}` escapes. */
export function visible(name: string): string {
  let out = '';
  for (const ch of name) out += INVISIBLE.test(ch) || ch === '"' || ch === '\\' ? (ch === '"' || ch === '\\' ? `\\${ch}` : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`) : ch;
  return `"${out}"`;
}

/**
 * Why `name` cannot be a PostgreSQL identifier written by rlsgen, or null:
 * empty, longer than 63 bytes (PostgreSQL would truncate it), or holding a
 * character a reviewer cannot see. PostgreSQL itself accepts all but NUL;
 * rlsgen refuses them because the SQL it writes is meant to be reviewed.
 */
export function identifierProblem(name: string): NameProblem | null {
  if (name === '') return { code: 'invalid-identifier', message: 'a name cannot be empty' };
  const hidden = invisibleCharacter(name);
  if (hidden !== null) {
    return {
      code: 'invalid-identifier',
      message: `${visible(name)} contains ${hidden.description} (character ${hidden.index})`,
      help: 'names in the generated SQL must read the same to a reviewer as to PostgreSQL: rename the object, or write the name without it',
    };
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    return { code: 'identifier-too-long', message: `${visible(name)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it` };
  }
  return null;
}

/** Why free text copied into the SQL (an exempt table's `reason`) cannot be used, or null. */
export function textProblem(text: string): NameProblem | null {
  const hidden = invisibleCharacter(text, '\t\n\r');
  if (hidden === null) return null;
  return { code: 'invalid-text', message: `the text contains ${hidden.description} (character ${hidden.index})`, help: 'it is copied into the generated SQL, which must read the same to a reviewer as to PostgreSQL' };
}
