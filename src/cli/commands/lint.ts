import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { readGeneratedObjects } from '../../apply/generated-objects.js';
import { readMigrationFolder } from '../../apply/migration-folder.js';
import { withClient } from '../../db/server.js';
import { introspectDatabase } from '../../introspect/introspect-database.js';
import { formatSarif, formatText } from '../../lint/format-findings.js';
import { hasUnacknowledgedErrors, lintDatabase, unusedAcknowledgements } from '../../lint/lint-database.js';
import type { DbSnapshot } from '../../introspect/snapshot.js';
import type { Model } from '../../manifest/model.js';
import { EXIT, type Output } from '../output.js';
import { connectionFrom, printApplyError, readModel } from './common.js';

export interface LintCliOptions {
  readonly databaseUrl?: string;
  readonly manifest: string;
  readonly role?: string;
  readonly tenantColumn?: string;
  /** The migrations folder; when it exists, rlsgen's functions are compared with what it creates. */
  readonly dir?: string;
  readonly format: 'text' | 'json' | 'sarif';
}

/** The manifest when the file exists (lint works without one), or undefined when it is invalid. */
export function optionalModel(output: Output, manifest: string): Model | null | undefined {
  if (!existsSync(manifest)) return null;
  return readModel(output, manifest) ?? undefined;
}

/** The line of a table's entry in the manifest, for SARIF locations. */
export function manifestLine(text: string, object: string): number {
  const name = object.replace(/^\S+ /, '');
  const lines = text.split('\n');
  const candidates = [name, name.replace(/^public\./, '')];
  for (const [index, line] of lines.entries()) {
    const key = /^ {2}(?:"([^"]+)"|'([^']+)'|([^\s:#]+)):/.exec(line);
    const found = key?.[1] ?? key?.[2] ?? key?.[3];
    if (found !== undefined && candidates.includes(found)) return index + 1;
  }
  return 1;
}

/**
 * The manifest (when there is one) and a snapshot of the database, for the
 * commands that read a live catalog; an exit status when the input is bad.
 */
export async function readCatalog(output: Output, options: { readonly databaseUrl?: string; readonly manifest: string; readonly role?: string }, label: string): Promise<{ snapshot: DbSnapshot; model: Model | null } | number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const model = optionalModel(output, options.manifest);
  if (model === undefined) return EXIT.usage;
  const snapshot = await withClient(connection, introspectDatabase, label);
  if (options.role !== undefined && !snapshot.roles.some((r) => r.name === options.role)) {
    output.err(`error: --role ${options.role}: no such role in the database`);
    return EXIT.usage;
  }
  return { snapshot, model };
}

export async function runLint(output: Output, options: LintCliOptions, version: string): Promise<number> {
  try {
    const catalog = await readCatalog(output, options, 'rlsgen lint');
    if (typeof catalog === 'number') return catalog;
    const { snapshot, model } = catalog;
    const generated = options.dir !== undefined && existsSync(options.dir) ? readGeneratedObjects(readMigrationFolder(options.dir)) : null;
    const findings = lintDatabase(snapshot, {
      model,
      generated,
      ...(options.role === undefined ? {} : { appRole: options.role }),
      ...(options.tenantColumn === undefined ? {} : { tenantColumn: options.tenantColumn }),
    });
    if (options.format === 'json') output.out(JSON.stringify(findings, null, 2));
    else if (options.format === 'sarif') {
      const path = resolve(options.manifest);
      const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const uri = existsSync(path) ? relative(process.cwd(), path).split('\\').join('/') : 'policies.yaml';
      output.out(JSON.stringify(formatSarif(findings, { uri, line: (object) => manifestLine(text, object) }, version), null, 2));
    } else for (const line of formatText(findings, (style, t) => output.paint(style, t), unusedAcknowledgements(findings, model))) output.out(line);
    return hasUnacknowledgedErrors(findings) ? EXIT.findings : EXIT.ok;
  } catch (error) {
    printApplyError(output, error);
    return EXIT.usage;
  }
}
