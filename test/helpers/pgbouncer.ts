import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresOsUser } from '../../src/db/binaries.js';
import { registerCleanup } from '../../src/db/cleanup.js';
import { type ConnectionInfo, freePort } from '../../src/db/server.js';
import { removeTempDir, tempDir } from './temp.js';

/** Debian's pgbouncer (RLSGEN_PGBOUNCER names another), or null when it is not installed. */
export function findPgbouncer(): string | null {
  const candidates = [process.env['RLSGEN_PGBOUNCER'], '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path)) ?? null;
}

export function pgbouncerVersion(bin: string): string {
  return /PgBouncer (\S+)/.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
}

export interface Pgbouncer {
  /** `user` (one of those given) connecting through PgBouncer to the database. */
  readonly connection: (user: { user: string; password: string }) => ConnectionInfo;
  /** Its admin console (`SHOW POOLS`, ...). */
  readonly admin: ConnectionInfo;
  readonly poolSize: number;
  stop(): Promise<void>;
}

export interface PgbouncerOptions {
  /** The database PgBouncer pools, on the server it reaches. */
  readonly server: ConnectionInfo;
  /** The logins clients use; PgBouncer signs in to the server with the same password. */
  readonly users: readonly { user: string; password: string }[];
  /** Server connections per database and user. */
  readonly poolSize: number;
}

/** `"user" "password"` lines of PgBouncer's auth_file (a `"` is doubled). */
function userlist(users: readonly { user: string; password: string }[]): string {
  const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  return users.map((u) => `${q(u.user)} ${q(u.password)}\n`).join('');
}

async function waitReady(child: ChildProcess, admin: ConnectionInfo, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}:\n${readLog(log)}`);
    const client = new pg.Client(admin);
    try {
      await client.connect();
      await client.query('SHOW VERSION');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`pgbouncer did not answer: ${(error as Error).message}\n${readLog(log)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function readLog(log: string): string {
  return existsSync(log) ? readFileSync(log, 'utf8') : '';
}

/**
 * Starts `bin` in transaction pooling mode in front of one database: its
 * config, auth file and log in a fresh temp folder, loopback on a free port,
 * no Unix socket. PgBouncer refuses to run as root, so as root it runs as the
 * `postgres` OS user. `stop()` ends it (SIGTERM: immediate shutdown) and
 * removes the folder.
 */
export async function startPgbouncer(bin: string, options: PgbouncerOptions): Promise<Pgbouncer> {
  const dir = tempDir('pgbouncer');
  const port = await freePort();
  const admin = { user: 'pgbouncer_admin', password: 'admin' };
  const ini = join(dir, 'pgbouncer.ini');
  const log = join(dir, 'pgbouncer.log');
  const { server } = options;
  writeFileSync(
    ini,
    [
      '[databases]',
      `${server.database} = host=${server.host} port=${server.port} dbname=${server.database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize}`,
      'max_client_conn = 1000',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `admin_users = ${admin.user}`,
      `logfile = ${log}`,
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'userlist.txt'), userlist([...options.users, admin]), { mode: 0o600 });
  const owner = userInfo().uid === 0 ? await postgresOsUser() : null;
  if (owner !== null) for (const path of [dir, ini, join(dir, 'userlist.txt')]) chownSync(path, owner.uid, owner.gid);
  const child = spawn(bin, [ini], { stdio: 'ignore', ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }) });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = registerCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    removeTempDir(dir);
  });
  const adminConnection = { host: '127.0.0.1', port, user: admin.user, password: admin.password, database: 'pgbouncer' };
  try {
    await waitReady(child, adminConnection, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    connection: (user) => ({ host: '127.0.0.1', port, user: user.user, password: user.password, database: server.database }),
    admin: adminConnection,
    poolSize: options.poolSize,
    stop,
  };
}
