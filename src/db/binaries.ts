import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerCleanup } from './cleanup.js';
import { freePort, serverVersion, type ServerHandle } from './server.js';

const run = promisify(execFile);

async function osUser(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const uid = Number((await run('id', ['-u', name])).stdout.trim());
    const gid = Number((await run('id', ['-g', name])).stdout.trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * The `postgres` OS user a server started as root runs as, created (with its
 * group) when the machine has none, as PostgreSQL's packages do.
 */
export async function postgresOsUser(): Promise<{ uid: number; gid: number }> {
  const existing = await osUser('postgres');
  if (existing !== null) return existing;
  try {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new Error(`PostgreSQL refuses to run as root and there is no \`postgres\` OS user to run it as; creating one failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const created = await osUser('postgres');
  if (created === null) throw new Error('the `postgres` OS user was created but cannot be found');
  return created;
}

/** Debian and Ubuntu keep each major's server binaries here. */
export function debianBinDir(major: number): string {
  return `/usr/lib/postgresql/${major}/bin`;
}

export function hasBinaries(binDir: string): boolean {
  return existsSync(join(binDir, 'initdb')) && existsSync(join(binDir, 'pg_ctl'));
}

/**
 * Starts a throwaway cluster from PostgreSQL binaries already installed
 * (`initdb`/`pg_ctl` in `binDir`, e.g. Debian's /usr/lib/postgresql/15/bin):
 * a temp data directory, loopback only, a free port. As root it runs them as
 * the `postgres` OS user.
 */
export async function startBinaries(binDir: string): Promise<ServerHandle> {
  if (!hasBinaries(binDir)) throw new Error(`no initdb/pg_ctl in ${binDir}`);
  const root = userInfo().uid === 0;
  const owner = root ? await postgresOsUser() : null;
  const dir = mkdtempSync(join(tmpdir(), 'rlsgen-pg-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner !== null) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  const as = owner === null ? {} : { uid: owner.uid, gid: owner.gid };
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  let started = false;
  const stop = registerCleanup(async () => {
    if (started) {
      await run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], { ...as, env }).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    await run(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync'], {
      ...as,
      env,
    });
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
    started = true;
    await run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'], { ...as, env });
  } catch (error) {
    await stop();
    throw new Error(`PostgreSQL from ${binDir} did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const connection = { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' };
  const { versionNum, version } = await serverVersion(connection);
  return { kind: 'binaries', versionNum, version, connection, throwaway: true, dataDir: dir, stop };
}
