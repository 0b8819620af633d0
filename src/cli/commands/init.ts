import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { withClient } from '../../db/server.js';
import { initManifest } from '../../init/init-manifest.js';
import { hasErrors } from '../../manifest/diagnostic.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import { EXIT, type Output } from '../output.js';
import { printDiagnostics } from './generate.js';
import { connectionFrom, printApplyError } from './common.js';

export interface InitCliOptions {
  readonly databaseUrl?: string;
  readonly tenantTable: string;
  readonly tenantColumn: string;
  readonly appRole: string;
  readonly crossRole: string;
  readonly setting?: string;
  readonly out: string;
  readonly force: boolean;
}

export async function runInit(output: Output, options: InitCliOptions): Promise<number> {
  const connection = connectionFrom(output, options.databaseUrl);
  if (connection === null) return EXIT.usage;
  if (options.out !== '-' && existsSync(options.out) && !options.force) {
    output.err(`error: ${options.out} exists; pass --force to replace it, or --out - to print the proposal`);
    return EXIT.usage;
  }
  let text: string;
  try {
    text = await withClient(connection, (client) => initManifest(client, options), 'rlsgen init');
  } catch (error) {
    printApplyError(output, error);
    return EXIT.usage;
  }
  const check = loadManifest(text, options.out === '-' ? 'policies.yaml' : options.out);
  if (!check.ok || hasErrors(check.diagnostics)) {
    printDiagnostics(output, check.diagnostics);
    output.err('error: the proposed manifest does not validate (a bug in rlsgen init); nothing written');
    return EXIT.findings;
  }
  if (options.out === '-') {
    output.out(text.trimEnd());
    return EXIT.ok;
  }
  const temp = `${options.out}.rlsgen-tmp`;
  writeFileSync(temp, text);
  renameSync(temp, options.out);
  const tables = check.model.tables;
  output.out(
    `wrote ${options.out}: ${tables.filter((t) => t.mode !== 'exempt').length} tenant tables, ${tables.filter((t) => t.mode === 'exempt').length} exempt (review those marked "review"), ${tables.filter((t) => t.unresolved === 'keep' && t.mode === 'tenant').length} keeping rows without a tenant`,
  );
  output.out('next: rlsgen validate && rlsgen generate');
  return EXIT.ok;
}
