import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { hasErrors } from '../../manifest/diagnostic.js';
import { isTenantRoot } from '../../manifest/model.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import type { Target } from '../../manifest/model.js';
import { EXIT, type Output } from '../output.js';
import { printDiagnostics } from './generate.js';

export function runValidate(output: Output, options: { manifest: string; target?: Target }): number {
  const path = resolve(options.manifest);
  const name = relative(process.cwd(), path) || path;
  const result = loadManifest(readFileSync(path, 'utf8'), name, options.target === undefined ? {} : { target: options.target });
  printDiagnostics(output, result.diagnostics);
  if (!result.ok || hasErrors(result.diagnostics)) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    output.err(`${name}: ${errors} error(s)`);
    return EXIT.findings;
  }
  const count = (mode: string): number => result.model.tables.filter((t) => t.mode === mode && !isTenantRoot(t)).length;
  const root = result.model.tables.some(isTenantRoot) ? ', the tenant table scoped to its own row' : '';
  const lookups = result.model.lookups.length === 0 ? '' : `, ${result.model.lookups.length} lookup(s)`;
  output.out(
    `${name}: valid; ${result.model.tables.length} tables (${count('tenant')} tenant, ${count('shared')} shared, ${count('exempt')} exempt${root})${lookups}, tenant column ${result.model.tenant.column}`,
  );
  return EXIT.ok;
}
