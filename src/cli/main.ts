#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Target } from '../manifest/model.js';
import { durationInterval } from '../sql/interval.js';
import { runApply, runRollback, runSecret } from './commands/apply.js';
import { runAudit, runDiff } from './commands/audit-diff.js';
import { runGenerate } from './commands/generate.js';
import { runInit } from './commands/init.js';
import { runLint } from './commands/lint.js';
import { runVerify } from './commands/verify.js';
import { runValidate } from './commands/validate.js';
import { createOutput, EXIT, type Output } from './output.js';

const VERSION = '0.1.0';

function targetOption(): Option {
  return new Option('--target <target>', "replace the manifest's target for this run (write `target:` in the manifest to keep it)").choices(['postgres', 'citus']);
}

function manifestOption(): Option {
  return new Option('-m, --manifest <file>', 'the manifest').default('policies.yaml');
}

function requireFile(output: Output, path: string, what: string): boolean {
  if (existsSync(path)) return true;
  output.err(`error: ${what} ${path} does not exist`);
  return false;
}

/** Builds the CLI; each action stores its exit code in `exit.code`. */
export function buildProgram(output: Output, exit: { code: number }): Command {
  const program = new Command('rlsgen')
    .description('PostgreSQL row-level security for multi-tenant databases, generated from a table manifest')
    .showHelpAfterError('(run with --help for usage)')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    });

  program
    .command('validate')
    .description('check the manifest and report every problem with its position')
    .addOption(manifestOption())
    .addOption(targetOption())
    .action((options: { manifest: string; target?: Target }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = runValidate(output, options);
    });

  program
    .command('generate')
    .description('write new numbered migrations (and their rollbacks) for what the manifest changed since the last run')
    .addOption(manifestOption())
    .option('-o, --out <dir>', 'migrations folder', 'generated-sql')
    .option('--check', 'write nothing; exit 1 when the manifest has changes not generated yet (for CI)', false)
    .addOption(targetOption())
    .action((options: { manifest: string; out: string; check: boolean; target?: Target }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = runGenerate(output, options);
    });

  program
    .command('apply')
    .description('apply the pending migrations of generated-sql/ to a database, one at a time, under an advisory lock')
    .option('-d, --dir <dir>', 'migrations folder', 'generated-sql')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(
      new Option('--stage <stage>', 'prepare: stop before the enforce stage (row-level security on); enforce: stop before the Citus distribute stage').choices(['prepare', 'enforce', 'all']).default('all'),
    )
    .option('--dry-run', 'list what would run; change nothing', false)
    .option('--batch-size <rows>', 'rows per backfill transaction (default: the value in the files)', (v) => positiveInt(v, '--batch-size'))
    .option('--batch-pause <duration>', 'pause between two backfill batches, e.g. 50ms (default: the value in the files)', (v) => duration(v, '--batch-pause'))
    .option('--lock-timeout <duration>', 'lock_timeout for statements that run outside a transaction', '2s')
    .option('--no-wait', 'exit at once when another apply is running, instead of waiting for it')
    .addHelpText(
      'after',
      '\nRollout: apply --stage prepare, deploy the application that sets the tenant variable, then apply.\nExit codes: 0 applied (or nothing to do), 1 a migration failed, 2 usage.',
    )
    .action(async (options: { dir: string; databaseUrl?: string; stage: 'prepare' | 'all'; dryRun: boolean; batchSize?: number; batchPause?: string; lockTimeout: string; wait: boolean }) => {
      exit.code = await runApply(output, options);
    });

  program
    .command('rollback')
    .description('run the rollback scripts (generated-sql/down) of applied migrations above --to, newest first')
    .requiredOption('--to <id>', 'keep migrations up to this id (0: roll back everything)', (v) => nonNegativeInt(v, '--to'))
    .option('-d, --dir <dir>', 'migrations folder', 'generated-sql')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .option('--dry-run', 'list what would be rolled back', false)
    .action(async (options: { dir: string; databaseUrl?: string; to: number; dryRun: boolean }) => {
      exit.code = await runRollback(output, options);
    });

  program
    .command('verify')
    .description('prove isolation: probe every table as the application role, with two tenants, and print the matrix')
    .addOption(manifestOption())
    .option('-d, --dir <dir>', 'migrations folder', 'generated-sql')
    .option('--schema <file>', "load this schema (SQL) into a throwaway database, apply the migrations and verify there")
    .option('--data <file>', 'data (SQL) to load after the schema')
    .option('--database-url <url>', 'with --schema: the server for the throwaway database; without: a database with the policies applied, verified in place inside a rolled-back transaction')
    .option('--container [image]', 'with --schema: a throwaway server in a container (testcontainers; needs Docker)')
    .option('--pg-bin <dir>', 'with --schema: a throwaway server from installed PostgreSQL binaries (initdb, pg_ctl)')
    .option('--probe-role <role=login>', 'in place: probe the manifest role through this login role, a member of it (repeatable; needed on Citus, whose workers refuse NOLOGIN roles)', probeRole, {})
    .option('--json', 'print the result as JSON', false)
    .addHelpText('after', '\nExit codes: 0 isolation proven, 1 a check failed (table, check and SQL printed), 2 usage or no database.')
    .action(async (options: { manifest: string; dir: string; schema?: string; data?: string; databaseUrl?: string; container?: string | boolean; pgBin?: string; probeRole: Record<string, string>; json: boolean }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      if (options.schema !== undefined && !requireFile(output, options.schema, 'schema')) return void (exit.code = EXIT.usage);
      if (options.data !== undefined && !requireFile(output, options.data, 'data file')) return void (exit.code = EXIT.usage);
      exit.code = await runVerify(output, options);
    });

  program
    .command('init')
    .description('propose a complete policies.yaml from a live database: tenant tables, backfill paths, exempt tables to review')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .option('--tenant-table <table>', 'the table whose rows are the tenants', 'companies')
    .option('--tenant-column <column>', 'the tenant column', 'company_id')
    .option('--app-role <role>', 'the application role to name in the manifest', 'tenant_app')
    .option('--cross-role <role>', 'the cross-tenant role to name in the manifest', 'tenant_support')
    .option('-o, --out <file>', 'where to write it (- for standard output)', 'policies.yaml')
    .option('--force', 'replace an existing file', false)
    .action(async (options: { databaseUrl?: string; tenantTable: string; tenantColumn: string; appRole: string; crossRole: string; out: string; force: boolean }) => {
      exit.code = await runInit(output, options);
    });

  program
    .command('lint')
    .description('find tenant-isolation hazards in a live database (one rule per hazard, see docs/lint)')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--role <role>', 'the application role (default: the manifest\'s)')
    .option('--tenant-column <column>', 'without a manifest: the column that marks tenant tables', 'company_id')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json', 'sarif']).default('text'))
    .addHelpText('after', '\nExit codes: 0 no error-severity finding, 1 at least one, 2 usage or no database.')
    .action(async (options: { databaseUrl?: string; manifest: string; role?: string; tenantColumn: string; format: 'text' | 'json' | 'sarif' }) => {
      exit.code = await runLint(output, options, VERSION);
    });

  program
    .command('audit')
    .description('data checks: rows without a tenant (and whether the manifest resolves them), rows pointing at another tenant')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--tenant-column <column>', 'without a manifest: the tenant column', 'company_id')
    .option('--json', 'print the report as JSON', false)
    .action(async (options: { databaseUrl?: string; manifest: string; tenantColumn: string; json: boolean }) => {
      exit.code = await runAudit(output, options);
    });

  program
    .command('diff')
    .description('what the manifest says against what the database has; exit 1 on drift (for CI)')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--json', 'print the differences as JSON', false)
    .action(async (options: { databaseUrl?: string; manifest: string; json: boolean }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = await runDiff(output, options);
    });

  program
    .command('secret')
    .description('store the secret of the signed tenant context (manifest `context: signed`) in rlsgen.context_secret')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .option('--from-env', 'use the hex secret in RLSGEN_CONTEXT_SECRET instead of making a new one', false)
    .addHelpText('after', '\nA new secret is printed once (hex) for the application: pass it to createTenantPool({ mode: "signed", secret }).')
    .action(async (options: { databaseUrl?: string; fromEnv: boolean }) => {
      exit.code = await runSecret(output, options);
    });

  return program;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer`);
  return n;
}

function duration(value: string, flag: string): string {
  if (durationInterval(value) === null) throw new InvalidArgumentError(`${flag} must be a duration such as 50ms, 2s or 0`);
  return value;
}

function probeRole(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([^=]+)=([^=]+)$/.exec(value);
  if (match === null) throw new InvalidArgumentError(`--probe-role takes role=login, e.g. crm_app=crm_probe (got ${JSON.stringify(value)})`);
  return { ...previous, [match[1] ?? '']: match[2] ?? '' };
}

function nonNegativeInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be 0 or a positive integer`);
  return n;
}

export async function main(argv: readonly string[]): Promise<number> {
  // `rlsgen ... | head` closes the pipe early: stop quietly instead of crashing.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
  });
  const output = createOutput(process.stdout, process.stderr, process.env);
  const exit = { code: EXIT.ok as number };
  const program = buildProgram(output, exit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  return exit.code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rlsgen: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.usage;
  },
);
