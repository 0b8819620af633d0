import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ApplyError, ApplyLockedError } from '../../apply/apply-migrations.js';
import { type ConnectionInfo, parseConnectionUrl } from '../../db/server.js';
import { hasErrors } from '../../manifest/diagnostic.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import type { Model, Target } from '../../manifest/model.js';
import type { Output } from '../output.js';
import { printDiagnostics } from './generate.js';

/** The manifest's model, or null after printing why it cannot be used. */
export function readModel(output: Output, manifest: string, target?: Target): Model | null {
  const path = resolve(manifest);
  const result = loadManifest(readFileSync(path, 'utf8'), relative(process.cwd(), path) || path, target === undefined ? {} : { target });
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

/** Prints a failed migration like a compiler error, with the line and a caret when PostgreSQL gave a position. */
export function printApplyError(output: Output, error: unknown): void {
  if (error instanceof ApplyLockedError) {
    output.err(`${output.paint('red', 'error')}: ${error.message}`);
    return;
  }
  if (!(error instanceof ApplyError)) {
    output.err(`${output.paint('red', 'error')}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const d = error.details;
  const where = error.file === null ? '' : `${displayPath(error.file.path)}${d.line === undefined ? '' : `:${d.line}:${d.column ?? 1}`} `;
  output.err(`${output.paint('bold', where)}${output.paint('red', `error${d.code === undefined ? '' : `[${d.code}]`}`)}: ${error.message}`);
  if (d.excerpt !== undefined) for (const line of d.excerpt.split('\n')) output.err(`  | ${line}`);
  if (d.detail !== undefined) output.err(`  detail: ${d.detail}`);
  if (d.hint !== undefined) output.err(`  ${output.paint('cyan', 'help')}: ${d.hint}`);
  if (d.where !== undefined) output.err(`  context: ${d.where.split('\n')[0] ?? ''}`);
  if (error.file !== null) {
    output.err(
      error.file.transactional
        ? '  the migration was rolled back: nothing of it remains; fix the cause and run apply again'
        : '  this migration runs outside a transaction and is safe to run again: apply resumes it',
    );
  }
}
