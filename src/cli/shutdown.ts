import { interruptRun, runCleanups } from '../db/cleanup.js';
import { EXIT } from './output.js';

/** What ended a run early. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'EPIPE';

/** Shells' convention: 128 + the signal number; a closed pipe (`rlsgen ... | head`) is no failure. */
const STATUS: Record<StopReason, number> = { SIGINT: 130, SIGTERM: 143, EPIPE: EXIT.ok };

/** How long an interrupted command may take to unwind once its servers and connections are gone. */
const UNWIND_MS = 15_000;

export interface RunOptions {
  /** Prints one line on standard error. */
  readonly say: (line: string) => void;
  /** The exit status when the command throws (default 2, the CLI's for an input it could not handle). */
  readonly errorStatus?: number;
  /** Called once when the run is interrupted, before anything is stopped (the CLI mutes the command's output). */
  readonly onStop?: (reason: StopReason) => void;
}

export interface RunOutcome {
  readonly code: number;
  /** Set when a signal or a closed output ended the run: exit at once, everything is cleaned up. */
  readonly stoppedBy: StopReason | null;
}

/**
 * The one place a run of the CLI (or of `npm run demo`) ends. The command
 * runs to completion, or, on SIGINT/SIGTERM or a closed standard output,
 * is interrupted: running statements are cancelled and throwaway servers
 * stopped (`interruptRun`), which makes the command reject, so its own
 * `finally` blocks run; then every cleanup still registered runs, on every
 * path, and the exit status is returned for the caller to exit with. A
 * second signal while this happens changes nothing: the cleanups finish.
 * Errors print their message, never a stack (`RLSGEN_DEBUG=1` adds it).
 */
export async function runToCompletion(command: () => Promise<number>, options: RunOptions): Promise<RunOutcome> {
  let reason: StopReason | null = null;
  let interrupting: Promise<void> = Promise.resolve();
  let gaveUp: () => void = () => undefined;
  const unwound = new Promise<void>((resolve) => {
    gaveUp = resolve;
  });
  const stop = (why: StopReason): void => {
    if (reason !== null) return;
    reason = why;
    options.onStop?.(why);
    if (why !== 'EPIPE') options.say(`\nrlsgen: ${why === 'SIGINT' ? 'interrupted' : 'terminated'}; stopping throwaway servers and removing temporary files`);
    interrupting = interruptRun();
    // A command blocked on something no cleanup reaches must not keep the process alive.
    void interrupting.then(() => setTimeout(gaveUp, UNWIND_MS).unref());
  };
  const onSigint = (): void => stop('SIGINT');
  const onSigterm = (): void => stop('SIGTERM');
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') stop('EPIPE');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.stdout.on('error', onStdoutError);
  let code: number = EXIT.usage;
  try {
    const running = Promise.resolve()
      .then(command)
      .then(
        (status) => {
          code = status;
        },
        (error: unknown) => {
          // After an interruption the command fails because its connections were closed: not news.
          if (reason === null) options.say(`rlsgen: ${describe(error)}`);
          code = options.errorStatus ?? EXIT.usage;
        },
      );
    await Promise.race([running, unwound]);
  } finally {
    await interrupting;
    await runCleanups();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.stdout.off('error', onStdoutError);
  }
  const stopped: StopReason | null = reason;
  return { code: stopped === null ? code : STATUS[stopped], stoppedBy: stopped };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return process.env['RLSGEN_DEBUG'] === '1' ? (error.stack ?? error.message) : error.message;
}
