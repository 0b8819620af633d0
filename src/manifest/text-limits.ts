import { LIMITS, type ManifestLimits } from './limits.js';

/** A problem found in the text before it is parsed, at a character offset. */
export interface TextProblem {
  readonly code: string;
  readonly offset: number;
  readonly message: string;
  readonly help?: string;
}

/**
 * What must be refused before the YAML parser sees the text: a file over the
 * size limit, and flow collections (`[[[[...`) nested deeper than any
 * manifest needs, which exhaust the parser's memory rather than fail.
 */
export function checkText(text: string, limits: ManifestLimits = LIMITS): TextProblem | null {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.bytes) {
    return { code: 'too-large', offset: 0, message: `the manifest is ${bytes.toLocaleString('en-US')} bytes; the limit is ${limits.bytes.toLocaleString('en-US')}` };
  }
  const deep = deepFlowNesting(text, limits.nesting);
  if (deep !== null) {
    return { code: 'too-deep', offset: deep, message: `lists and mappings are nested more than ${limits.nesting} levels deep here`, help: 'a manifest needs a few levels; check for unbalanced [ or {' };
  }
  return null;
}

/**
 * The offset of the first `[` or `{` nested more than `max` flow levels
 * deep, or null. Quoted scalars and comments are skipped; a line starting a
 * new top-level key ends any flow collection, as it does in YAML.
 */
export function deepFlowNesting(text: string, max: number): number | null {
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (lineStart && ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== ']' && ch !== '}') depth = 0;
    lineStart = ch === '\n';
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      if (end < 0) return null;
      i = end - 1;
    } else if (ch === '"' || ch === "'") {
      i = endOfQuoted(text, i);
    } else if (ch === '[' || ch === '{') {
      depth++;
      if (depth > max) return i;
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
  }
  return null;
}

/** The offset of the closing quote of the scalar opened at `start` (or the end of the text). */
function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') i++;
    else if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
