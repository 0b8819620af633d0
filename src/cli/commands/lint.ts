import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { withClient } from '../../db/server.js';
import { introspectDatabase } from '../../introspect/introspect-database.js';
import { formatSarif, formatText } from '../../lint/format-findings.js';
import { hasUnacknowledgedErrors, lintDatabase, unusedAcknowledgements } from '../../lint/lint-database.js';
import type { Model } from '../../manifest/model.js';
import { EXIT, type Output } from '../output.js';
import { connectionFrom, printApplyError, readModel } from './common.js';

export interface LintCliOptions {
  readonly databaseUrl?: string;
  readonly manifest: string;
  readonly role?: string;
  readonly tenantColumn?: string;
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

export async function runLint(output: Output, options: LintCliOptions, version: string): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  const model = optionalModel(output, options.manifest);
  if (model === undefined) return EXIT.usage;
  try {
    const snapshot = await withClient(connection, introspectDatabase, 'rlsgen lint');
    if (options.role !== undefined && !snapshot.roles.some((r) => r.name === options.role)) {
      output.err(`error: --role ${options.role}: no such role in the database`);
      return EXIT.usage;
    }
    const findings = lintDatabase(snapshot, {
      model,
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
