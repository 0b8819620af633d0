#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Target } from '../manifest/model.js';
import { durationInterval } from '../sql/interval.js';
import { createOutput, EXIT, muteOutput, type Output } from './output.js';
import { runToCompletion } from './shutdown.js';

/**
 * Each command's code is loaded when it runs, so that `--help` answers at
 * once and a Ctrl-C during start-up already finds the shutdown path.
 */
const commands = {
  apply: () => import('./commands/apply.js'),
  auditDiff: () => import('./commands/audit-diff.js'),
  generate: () => import('./commands/generate.js'),
  init: () => import('./commands/init.js'),
  lint: () => import('./commands/lint.js'),
  prove: () => import('./commands/prove.js'),
  validate: () => import('./commands/validate.js'),
  verify: () => import('./commands/verify.js'),
};

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
    .addHelpText('after', '\nExit codes: 0 valid (warnings may be printed), 1 problems found (each with file:line:column), 2 usage.')
    .action(async (options: { manifest: string; target?: Target }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = (await commands.validate()).runValidate(output, options);
    });

  program
    .command('generate')
    .description('write new numbered migrations (and their rollbacks) for what the manifest changed since the last run')
    .addOption(manifestOption())
    .option('-o, --out <dir>', 'migrations folder', 'generated-sql')
    .option('--check', 'write nothing; exit 1 when the manifest has changes not generated yet (for CI)', false)
    .option('--replace-enforce', 'the enforce stage generated last never completed anywhere (it failed and apply took it back): replace it instead of following it', false)
    .addOption(targetOption())
    .addHelpText('after', '\nExit codes: 0 written or up to date, 1 with --check: changes not generated yet, 2 usage, a manifest that does not validate, or generated files edited by hand.')
    .action(async (options: { manifest: string; out: string; check: boolean; replaceEnforce: boolean; target?: Target }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = (await commands.generate()).runGenerate(output, options);
    });

  program
    .command('apply')
    .description('apply the pending migrations of generated-sql/ to a database, one at a time, under an advisory lock')
    .option('-d, --dir <dir>', 'migrations folder', 'generated-sql')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(
      new Option('--stage <stage>', 'prepare: stop before the enforce stage (row-level security on); enforce: stop before the Citus distribute stage').choices(['prepare', 'enforce', 'all']).default('all'),
    )
    .option('--dry-run', 'list what would run, after checking the privileges it needs; change nothing', false)
    .option('--batch-size <rows>', 'rows per backfill transaction (default: the value in the files)', (v) => positiveInt(v, '--batch-size'))
    .option('--batch-pause <duration>', 'pause between two backfill batches, e.g. 50ms (default: the value in the files)', (v) => duration(v, '--batch-pause'))
    .option('--lock-timeout <duration>', 'lock_timeout for statements that run outside a transaction', '2s')
    .option('--retries <n>', 'retries of a file that hits lock_timeout, each after a longer wait (0.5 s, 1 s, 2 s... up to 30 s)', (v) => nonNegativeInt(v, '--retries'), 8)
    .option('--no-wait', 'exit at once when another apply is running, instead of waiting for it')
    .option('--long-transaction-wait <duration>', 'how long a file waits, before queueing for its lock, for transactions older than lock_timeout that hold a lock on its table to end (0: queue at once)', (v) => duration(v, '--long-transaction-wait'), '10min')
    .option('-m, --manifest <file>', 'the manifest the folder was generated from, for the data check before the prepare stage (default: policies.yaml when it describes the database)')
    .option('--ignore-data-check', 'start the prepare stage even when the data shows the enforce stage would fail (rows a composite key or NOT NULL would reject)', false)
    .addHelpText(
      'after',
      '\nRollout: apply --stage prepare, deploy the application that sets the tenant variable, then apply.\nExit codes: 0 applied (or nothing to do), 1 a migration failed, or the data shows the enforce stage would fail (nothing started), 2 usage, or refused before running anything (a privilege missing, an untrusted object in the rlsgen schema, a migration file changed or missing).',
    )
    .action(async (options: { dir: string; databaseUrl?: string; stage: 'prepare' | 'all'; dryRun: boolean; batchSize?: number; batchPause?: string; lockTimeout: string; retries: number; wait: boolean; longTransactionWait: string; manifest?: string; ignoreDataCheck: boolean }) => {
      exit.code = await (await commands.apply()).runApply(output, options);
    });

  program
    .command('rollback')
    .description('run the rollback scripts (generated-sql/down) of applied migrations above --to, newest first')
    .requiredOption('--to <id>', 'keep migrations up to this id (0: roll back everything)', (v) => nonNegativeInt(v, '--to'))
    .option('-d, --dir <dir>', 'migrations folder', 'generated-sql')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .option('--dry-run', 'list what would be rolled back', false)
    .addHelpText('after', '\nExit codes: 0 rolled back (or nothing to do), 1 a rollback script failed, 2 usage or no database.')
    .action(async (options: { dir: string; databaseUrl?: string; to: number; dryRun: boolean }) => {
      exit.code = await (await commands.apply()).runRollback(output, options);
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
    .addOption(targetOption())
    .addHelpText('after', '\nExit codes: 0 isolation proven, 1 a check failed (table, check and SQL printed), 2 usage or no database.')
    .action(async (options: { manifest: string; dir: string; schema?: string; data?: string; databaseUrl?: string; container?: string | boolean; pgBin?: string; probeRole: Record<string, string>; json: boolean; target?: Target }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      if (options.schema !== undefined && !requireFile(output, options.schema, 'schema')) return void (exit.code = EXIT.usage);
      if (options.data !== undefined && !requireFile(output, options.data, 'data file')) return void (exit.code = EXIT.usage);
      exit.code = await (await commands.verify()).runVerify(output, options);
    });

  program
    .command('init')
    .description('propose a complete policies.yaml from a live database: tenant tables, backfill paths, exempt tables to review')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .option('--tenant-table <table>', 'the table whose rows are the tenants (`schema.table`; double-quote names with spaces or dots: `"crm data"."Companies"`)', 'companies')
    .option('--tenant-column <column>', 'the tenant column', 'company_id')
    .option('--app-role <role>', 'the application role to name in the manifest', 'tenant_app')
    .option('--cross-role <role>', 'the cross-tenant role to name in the manifest', 'tenant_support')
    .option('--setting <name>', 'the session variable the policies read (tenant.setting)', 'app.company_id')
    .option('-o, --out <file>', 'where to write it (- for standard output)', 'policies.yaml')
    .option('--force', 'replace an existing file', false)
    .addHelpText('after', '\nExit codes: 0 written, 1 the proposal does not validate (nothing written), 2 usage, no database, or the file exists without --force.')
    .action(async (options: { databaseUrl?: string; tenantTable: string; tenantColumn: string; appRole: string; crossRole: string; setting: string; out: string; force: boolean }) => {
      exit.code = await (await commands.init()).runInit(output, options);
    });

  program
    .command('lint')
    .description('find tenant-isolation hazards in a live database (one rule per hazard, see docs/lint)')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--role <role>', 'the application role (default: the manifest\'s)')
    .option('--tenant-column <column>', 'without a manifest: the column that marks tenant tables', 'company_id')
    .option('-d, --dir <dir>', "migrations folder, to compare the rlsgen schema's functions with what it creates", 'generated-sql')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json', 'sarif']).default('text'))
    .addHelpText('after', '\nExit codes: 0 no error-severity finding, 1 at least one, 2 usage or no database.')
    .action(async (options: { databaseUrl?: string; manifest: string; role?: string; tenantColumn: string; dir: string; format: 'text' | 'json' | 'sarif' }) => {
      exit.code = await (await commands.lint()).runLint(output, options, VERSION);
    });

  program
    .command('prove')
    .description("decide from the catalog's policy expressions, without running a query, whether the application role can reach another tenant's rows: PROVEN, LEAK (with a counterexample row) or UNVERIFIED per table")
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--role <role>', "the application role (default: the manifest's)")
    .option('--tenant-column <column>', 'without a manifest: the tenant column', 'company_id')
    .option('--setting <name>', 'without a manifest: the tenant variable', 'app.company_id')
    .option('--json', 'print the result as JSON', false)
    .addHelpText('after', '\nExit codes: 0 every tenant table PROVEN, 1 a LEAK or an UNVERIFIED table, 2 usage or no database.')
    .action(async (options: { databaseUrl?: string; manifest: string; role?: string; tenantColumn: string; setting: string; json: boolean }) => {
      exit.code = await (await commands.prove()).runProve(output, options);
    });

  program
    .command('audit')
    .description('data checks: rows without a tenant (and whether the manifest resolves them), rows pointing at another tenant')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--tenant-column <column>', 'without a manifest: the tenant column', 'company_id')
    .option('--json', 'print the report as JSON', false)
    .option('--limit <rows>', 'primary keys listed per finding', (v) => positiveInt(v, '--limit'), 10)
    .addHelpText('after', '\nExit codes: 0 nothing would stop the migration, 1 rows a composite key or NOT NULL would reject (listed), 2 usage.')
    .action(async (options: { databaseUrl?: string; manifest: string; tenantColumn: string; json: boolean; limit: number }) => {
      exit.code = await (await commands.auditDiff()).runAudit(output, options);
    });

  program
    .command('diff')
    .description('what the manifest says against what the database has; exit 1 on drift (for CI)')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .addOption(manifestOption())
    .option('--json', 'print the differences as JSON', false)
    .addHelpText('after', '\nExit codes: 0 no drift, 1 drift, 2 usage or no database.')
    .action(async (options: { databaseUrl?: string; manifest: string; json: boolean }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = await (await commands.auditDiff()).runDiff(output, options);
    });

  program
    .command('secret')
    .description('store the secret of the signed tenant context (manifest `context: signed`) in rlsgen.context_secret')
    .option('--database-url <url>', 'the database (default: $DATABASE_URL)')
    .option('--from-env', 'use the hex secret in RLSGEN_CONTEXT_SECRET instead of making a new one', false)
    .addHelpText('after', '\nA new secret is printed once (hex) for the application: pass it to createTenantPool({ mode: "signed", secret }).')
    .addHelpText('after', '\nExit codes: 0 stored, 1 the database refused it, 2 usage or no database.')
    .action(async (options: { databaseUrl?: string; fromEnv: boolean }) => {
      exit.code = await (await commands.apply()).runSecret(output, options);
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

const outcome = await runToCompletion(() => main(process.argv.slice(2)), {
  say: (line) => void process.stderr.write(`${line}\n`),
  onStop: muteOutput,
});
// Interrupted: every cleanup has run; nothing left is worth waiting for.
if (outcome.stoppedBy !== null) process.exit(outcome.code);
process.exitCode = outcome.code;
