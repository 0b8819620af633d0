import { MAX_IDENTIFIER_BYTES } from '../sql/quote.js';
import type { Diagnostic } from './diagnostic.js';
import { displayPath, type Segment, type SourceMap } from './source-map.js';

/** Collects the problems the sections find, each positioned in the manifest. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly map: SourceMap,
  ) {}

  /** An error at the value of `path`, or at the key `key` of the mapping at `path`. */
  error(path: readonly Segment[], code: string, message: string, extra: { help?: string } = {}, key?: string): void {
    const at = key === undefined ? this.map.value(path) : this.map.key(path, key);
    this.diagnostics.push({
      code: `manifest/${code}`,
      severity: 'error',
      file: this.file,
      line: at.line,
      column: at.column,
      path: displayPath(key === undefined ? path : [...path, key]),
      message,
      ...extra,
    });
  }

  warning(path: readonly Segment[], code: string, message: string, extra: { help?: string } = {}): void {
    const at = this.map.value(path);
    this.diagnostics.push({ code: `manifest/${code}`, severity: 'warning', file: this.file, line: at.line, column: at.column, path: displayPath(path), message, ...extra });
  }

  /** PostgreSQL would truncate a name longer than 63 bytes, and refuses NUL. */
  checkIdentifier(path: readonly Segment[], name: string): void {
    if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
      this.error(path, 'identifier-too-long', `${JSON.stringify(name)} is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it`);
    }
    if (name.includes('\u0000')) this.error(path, 'invalid-identifier', 'a name cannot contain a NUL character');
  }

  /** Where a key sits, for messages that point back at an earlier declaration. */
  lineOf(path: readonly Segment[], key: string): number {
    return this.map.key(path, key).line;
  }
}
