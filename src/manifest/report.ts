import type { Diagnostic } from './diagnostic.js';
import { identifierProblem, textProblem } from './identifier.js';
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

  /**
   * A name that reaches the SQL as an identifier: reported when it is empty,
   * longer than PostgreSQL's 63 bytes, or holds a character a reviewer
   * cannot see (identifier.ts). At the value of `path`, or at the key `key`
   * of the mapping at `path` when the name is that key. True when it is fine.
   */
  checkIdentifier(path: readonly Segment[], name: string, key?: string): boolean {
    const problem = identifierProblem(name);
    if (problem === null) return true;
    this.error(path, problem.code, problem.message, problem.help === undefined ? {} : { help: problem.help }, key);
    return false;
  }

  /** Free text copied into the SQL (a comment): no character a reviewer cannot see. */
  checkText(path: readonly Segment[], text: string): void {
    const problem = textProblem(text);
    if (problem !== null) this.error(path, problem.code, problem.message, problem.help === undefined ? {} : { help: problem.help });
  }

  /** Where a key sits, for messages that point back at an earlier declaration. */
  lineOf(path: readonly Segment[], key: string): number {
    return this.map.key(path, key).line;
  }
}
