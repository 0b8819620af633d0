import { relative } from 'node:path';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../manifest/diagnostic.js';
import type { Model, Target } from '../../manifest/model.js';
import { type MigrationFile, readFileMeta } from '../../render/render-plan.js';
import { generateMigrations } from '../../write/generate-migrations.js';
import { quoteLiteral } from '../../sql/quote.js';
import { EXIT, type Output } from '../output.js';

export function printDiagnostics(output: Output, diagnostics: readonly Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) output.err(formatDiagnostic(d, { color: output.color }));
}

function range(files: readonly MigrationFile[]): string {
  const first = files[0];
  const last = files[files.length - 1];
  if (first === undefined || last === undefined) return '';
  return first === last ? first.fileName.slice(0, 4) : `${first.fileName.slice(0, 4)}..${last.fileName.slice(0, 4)}`;
}

/** The rollout order, printed after generate and apply: the application first, policies second. */
export function rolloutAdvice(model: Model): string[] {
  const citus = model.target === 'citus';
  const sets = citus
    ? `SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL ${model.tenant.setting} = '<tenant id>'`
    : `set_config('${model.tenant.setting}', <tenant id>, true)`;
  return [
    'Rollout order (enabling policies before the application sets the variable breaks it: empty results, rejected inserts):',
    '  1. rlsgen apply --stage prepare   columns, backfill, then indexes and NOT NULL; the running application keeps working',
    `  2. deploy the application that runs ${sets} first in every transaction,`,
    `     connected as a login that is a member of ${model.roles.app.name} (rlsgen/runtime withTenant${citus ? " with mode: 'citus'" : ''} does this for node-postgres)`,
    ...(citus
      ? [
          '  3. rlsgen apply --stage enforce   row-level security on; then rlsgen verify',
          '  4. rlsgen apply                   Citus: distributes the tables (blocks writes while it copies: a maintenance window)',
        ]
      : ['  3. rlsgen apply                   row-level security on; then rlsgen verify']),
  ];
}

/**
 * The session settings the application's transactions need. A setting on the
 * application role (ALTER ROLE crm_app SET ...) does not reach the logins
 * that are its members (measured on PostgreSQL 15 and 18): it goes into
 * every transaction, or onto each login.
 */
export function sessionAdvice(model: Model): string[] {
  const timeout = model.roles.app.idleInTransactionSessionTimeout;
  if (timeout === null) return [];
  const literal = quoteLiteral(timeout);
  return [
    `Idle transactions: the application's transactions must run with idle_in_transaction_session_timeout = ${literal}.`,
    `  A setting on ${model.roles.app.name} does not reach the logins that are its members, so set it where it takes effect:`,
    `  rlsgen/runtime:  createTenantPool(pool, { idleInTransactionSessionTimeout: ${literal} }) sends it with the tenant in every transaction`,
    `  other stacks:    SELECT set_config('idle_in_transaction_session_timeout', ${literal}, true) first in every transaction, or per login:`,
    `                   ALTER ROLE <login> IN DATABASE <database> SET idle_in_transaction_session_timeout = ${literal};`,
  ];
}

export function runGenerate(output: Output, options: { manifest: string; out: string; check: boolean; target?: Target; replaceEnforce?: boolean }): number {
  const result = generateMigrations({
    manifestPath: options.manifest,
    outDir: options.out,
    check: options.check,
    replaceEnforce: options.replaceEnforce === true,
    ...(options.target === undefined ? {} : { target: options.target }),
  });
  const outDir = relative(process.cwd(), options.out) || '.';
  switch (result.kind) {
    case 'invalid-manifest':
      printDiagnostics(output, result.diagnostics);
      return hasErrors(result.diagnostics) ? EXIT.usage : EXIT.ok;
    case 'refused':
      printDiagnostics(output, result.diagnostics);
      for (const problem of result.problems) output.err(`${output.paint('red', 'error')}: ${problem}`);
      return EXIT.usage;
    case 'up-to-date':
      printDiagnostics(output, result.diagnostics);
      output.out(`${outDir} is up to date with ${options.manifest}`);
      return EXIT.ok;
    case 'pending':
      printDiagnostics(output, result.diagnostics);
      output.err(`${output.paint('red', 'error')}: ${options.manifest} has changes not generated yet: ${result.files.length} migration(s) would be written to ${outDir}:`);
      for (const file of result.files) output.err(`  ${file.fileName}`);
      output.err('run `rlsgen generate` and commit the new files');
      return EXIT.findings;
    case 'written': {
      printDiagnostics(output, result.diagnostics);
      const prepare = result.files.filter((f) => f.stage === 'prepare');
      const enforce = result.files.filter((f) => f.stage === 'enforce');
      output.out(`wrote ${result.files.length} migration(s) to ${outDir} (rollbacks in ${outDir}/down):`);
      if (prepare.length > 0) output.out(`  prepare     ${range(prepare).padEnd(10)}  safe while the current application runs`);
      if (enforce.length > 0) output.out(`  enforce     ${range(enforce).padEnd(10)}  turns isolation on; needs the application that sets the tenant`);
      const replaced = result.files.find((f) => readFileMeta(f.up)?.supersedes !== undefined);
      if (replaced !== undefined) {
        const names = readFileMeta(replaced.up)?.supersedes ?? [];
        output.out(`  replaces    ${names.length} enforce-stage migration(s) that never completed (${names[0] ?? ''} .. ${names[names.length - 1] ?? ''}): apply skips them where they are pending and refuses where they are applied`);
      }
      const distribute = result.files.filter((f) => f.stage === 'distribute');
      if (distribute.length > 0) output.out(`  distribute  ${range(distribute).padEnd(10)}  Citus: distributes the tables by the tenant; blocks writes while it copies`);
      output.out();
      for (const line of rolloutAdvice(result.model)) output.out(line);
      const session = sessionAdvice(result.model);
      if (session.length > 0) output.out();
      for (const line of session) output.out(line);
      return EXIT.ok;
    }
    default: {
      const never: never = result;
      throw new Error(`unexpected result ${JSON.stringify(never)}`);
    }
  }
}
