/**
 * Throwaway servers must go away when the run fails or is interrupted
 * (Ctrl-C, a CI timeout's SIGTERM). Providers register an async cleanup
 * here; on the first SIGINT/SIGTERM every cleanup runs, then the process
 * exits with 128 + the signal number, as shells expect. Signals that come
 * while the cleanups run (a second Ctrl-C) wait for them instead of killing
 * the process halfway: removing a container is a round trip to its engine.
 */
type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;
let running: Promise<void> | null = null;

async function runAll(): Promise<void> {
  const all = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(all.map((fn) => fn()));
}

function onSignal(signal: NodeJS.Signals, code: number): void {
  if (running !== null) return;
  process.stderr.write(`\nrlsgen: ${signal}: stopping throwaway databases...\n`);
  running = runAll().finally(() => process.exit(code));
}

/**
 * Registers `fn` to run on SIGINT/SIGTERM and returns the provider's `stop`:
 * it runs `fn` once (later calls wait for that run) and unregisters it.
 */
export function registerCleanup(fn: Cleanup): Cleanup {
  if (!installed) {
    installed = true;
    process.on('SIGINT', () => onSignal('SIGINT', 130));
    process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  }
  let done: Promise<void> | null = null;
  const stop: Cleanup = () => {
    cleanups.delete(stop);
    done ??= fn();
    return done;
  };
  cleanups.add(stop);
  return stop;
}
