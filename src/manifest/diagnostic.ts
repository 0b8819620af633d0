import { escapeInvisible } from './identifier.js';

/** A problem found in an input file, positioned like a compiler message. */
export interface Diagnostic {
  /** Stable id, `family/name`: `manifest/unknown-key`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** 1-based line and column of the offending key or value. */
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `tables.calls.backfill`. */
  readonly path: string;
  readonly message: string;
  readonly help?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export interface FormatOptions {
  readonly color: boolean;
}

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * `policies.yaml:14:5 error[manifest/unknown-key] tables.calls: unknown key "tenant_colum"`
 * followed by `  help: ...` when there is one.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  // Names quoted in a message may hold characters a terminal hides or reorders (a right-to-left override): shown escaped.
  const where = `${escapeInvisible(d.file)}:${d.line}:${d.column}`;
  const level = paint(options.color, d.severity === 'error' ? '1;31' : '1;33', `${d.severity}[${d.code}]`);
  const subject = d.path === '' ? '' : `${escapeInvisible(d.path)}: `;
  const head = `${paint(options.color, '1', where)} ${level} ${subject}${escapeInvisible(d.message)}`;
  return d.help === undefined ? head : `${head}\n  ${paint(options.color, '1;36', 'help')}: ${escapeInvisible(d.help)}`;
}

/** Orders diagnostics by file position so output reads top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}
