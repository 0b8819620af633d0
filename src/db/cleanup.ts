import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The one registry of what a run must undo: throwaway servers, their data
 * folders, copied binaries, temp folders, open connections. Providers
 * register here and keep the returned `stop` for their own normal teardown;
 * whatever is still registered when the run ends, fails or is interrupted
 * is undone by `interruptRun()` / `runCleanups()`, which the CLI (and only
 * the CLI) calls. Nothing here installs a signal handler or exits: the
 * library never ends the process, so its callers' `finally` blocks run.
 */
export type Cleanup = () => Promise<void>;

/** Registered in order; undone last-in first-out (a server before the copied binaries it runs from). */
const cleanups: Cleanup[] = [];
const interrupts = new Set<() => Promise<void>>();

/**
 * Registers `fn` and returns the owner's `stop`: it runs `fn` once (later
 * calls wait for that run) and unregisters it once that run has ended. A
 * stop still running stays registered, so that `runCleanups` waits for it
 * before it undoes what was registered earlier (the folder a server that
 * is still stopping runs in).
 */
export function registerCleanup(fn: Cleanup): Cleanup {
  let done: Promise<void> | null = null;
  const stop: Cleanup = () => {
    done ??= Promise.resolve()
      .then(fn)
      .finally(() => {
        const at = cleanups.indexOf(stop);
        if (at >= 0) cleanups.splice(at, 1);
      });
    return done;
  };
  cleanups.push(stop);
  return stop;
}

/**
 * Registers what to do only when the run is interrupted (cancel a running
 * statement, drop a connection) so that the command waiting on it unwinds;
 * returns the function that unregisters it.
 */
export function onInterrupt(fn: () => Promise<void>): () => void {
  interrupts.add(fn);
  return () => void interrupts.delete(fn);
}

/** Runs every registered cleanup, newest first; an error in one does not stop the others. */
export async function runCleanups(): Promise<void> {
  for (;;) {
    const next = cleanups[cleanups.length - 1];
    if (next === undefined) return;
    await next().catch(() => undefined);
  }
}

/**
 * An interruption (Ctrl-C, a CI timeout's SIGTERM): running statements are
 * cancelled and connections closed, so that the awaiting code rejects and
 * its `finally` blocks run, then every cleanup runs.
 */
export async function interruptRun(): Promise<void> {
  const all = [...interrupts];
  interrupts.clear();
  await Promise.allSettled(all.map((fn) => fn()));
  await runCleanups();
}

/** How many cleanups are registered (for tests of the teardown). */
export function pendingCleanups(): number {
  return cleanups.length;
}

/** A fresh folder under the system temp folder and the `remove` registered for it. */
export interface TempDir {
  readonly path: string;
  readonly remove: Cleanup;
}

/**
 * Creates `<tmpdir>/<prefix>XXXXXX` (mode 0700, as mkdtemp makes it) and
 * registers its removal; `remove()` deletes it at once.
 */
export function makeTempDir(prefix: string, parent: string = tmpdir()): TempDir {
  const path = mkdtempSync(join(parent, prefix));
  const remove = registerCleanup(async () => rmSync(path, { recursive: true, force: true }));
  return { path, remove };
}
