import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ApplyError, ApplyLockedError, ApplyRefusedError } from '../../apply/apply-migrations.js';
import { type ConnectionInfo, parseConnectionUrl } from '../../db/server.js';
import { hasErrors } from '../../manifest/diagnostic.js';
import { loadManifestFile } from '../../write/load-manifest-file.js';
import type { Model, Target } from '../../manifest/model.js';
import type { Output } from '../output.js';
import { printDiagnostics } from './generate.js';

/** The manifest's model, or null after printing why it cannot be used. */
export function readModel(output: Output, manifest: string, target?: Target): Model | null {
  const result = loadManifestFile(manifest, target === undefined ? {} : { target });
  printDiagnostics(output, result.diagnostics);
  if (!result.ok || hasErrors(result.diagnostics)) {
    output.err(`${manifest} is invalid; run rlsgen validate`);
    return null;
  }
  return result.model;
}

/**
 * The database of `--database-url`, else `DATABASE_URL`, parsed; null after
 * printing why when neither is given or the URL is malformed (a usage error).
 */
export function connectionFrom(output: Output, url: string | undefined): ConnectionInfo | null {
  const found = url ?? process.env['DATABASE_URL'];
  if (found === undefined || found === '') {
    output.err('error: give the database with --database-url or DATABASE_URL');
    return null;
  }
  try {
    return parseConnectionUrl(found);
  } catch (error) {
    output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** A path relative to the working directory when it lies inside it, absolute otherwise. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

/** Exit status of a failed apply or rollback: 2 when the input does not fit the database (nothing ran), 1 when a migration failed. */
export function applyFailureStatus(error: unknown): number {
  if (error instanceof ApplyRefusedError) return 2;
  if (error instanceof ApplyError && (error.kind === 'changed' || error.kind === 'missing' || error.kind === 'superseded')) return 2;
  return 1;
}

function printRefusal(output: Output, error: ApplyRefusedError): void {
  output.err(`${output.paint('red', 'error')}: ${error.message}:`);
  for (const m of error.missing) {
    output.err(`  - ${m.what}: ${m.fix}`);
    const [first, ...rest] = m.neededBy.filter((r) => r.path !== null);
    if (first !== undefined) {
      const more = rest.length === 0 ? '' : ` (and ${rest.length} more statement(s))`;
      output.err(`      needed by ${displayPath(first.path ?? '')}:${first.line}: ${first.statement}${more}`);
    } else output.err("      needed by rlsgen apply's bookkeeping (rlsgen.migrations)");
  }
  for (const p of error.problems) output.err(`  - ${p.object}, owner ${p.owner}: ${p.problems.join('; ')}`);
  output.err(`  ${output.paint('cyan', 'help')}: ${error.help}`);
}

/** Prints a failed migration like a compiler error, with the line and a caret when PostgreSQL gave a position, then the one advice that holds. */
export function printApplyError(output: Output, error: unknown): void {
  if (error instanceof ApplyLockedError) {
    output.err(`${output.paint('red', 'error')}: ${error.message}`);
    return;
  }
  if (error instanceof ApplyRefusedError) {
    printRefusal(output, error);
    return;
  }
  if (!(error instanceof ApplyError)) {
    output.err(`${output.paint('red', 'error')}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const d = error.details;
  // A message that starts with the file's path (a file changed after it was applied) needs no prefix.
  const where = error.file === null || error.message.startsWith(error.file.path) ? '' : `${displayPath(error.file.path)}${d.line === undefined ? '' : `:${d.line}:${d.column ?? 1}`} `;
  output.err(`${output.paint('bold', where)}${output.paint('red', `error${d.code === undefined ? '' : `[${d.code}]`}`)}: ${error.message}`);
  if (d.excerpt !== undefined) for (const line of d.excerpt.split('\n')) output.err(`  | ${line}`);
  if (d.detail !== undefined) output.err(`  detail: ${d.detail}`);
  if (d.hint !== undefined) output.err(`  ${output.paint('cyan', 'help')}: ${d.hint}`);
  if (d.where !== undefined) output.err(`  context: ${d.where.split('\n')[0] ?? ''}`);
  if (error.advice !== null) output.err(`  ${error.advice}`);
}
