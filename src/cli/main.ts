#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { runGenerate } from './commands/generate.js';
import { runValidate } from './commands/validate.js';
import { createOutput, EXIT, type Output } from './output.js';

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
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    });

  program
    .command('validate')
    .description('check the manifest and report every problem with its position')
    .addOption(manifestOption())
    .action((options: { manifest: string }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = runValidate(output, options);
    });

  program
    .command('generate')
    .description('write new numbered migrations (and their rollbacks) for what the manifest changed since the last run')
    .addOption(manifestOption())
    .option('-o, --out <dir>', 'migrations folder', 'generated-sql')
    .option('--check', 'write nothing; exit 1 when the manifest has changes not generated yet (for CI)', false)
    .action((options: { manifest: string; out: string; check: boolean }) => {
      if (!requireFile(output, options.manifest, 'manifest')) return void (exit.code = EXIT.usage);
      exit.code = runGenerate(output, options);
    });

  return program;
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
