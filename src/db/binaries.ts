import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, registerCleanup } from './cleanup.js';
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
  const folder = makeTempDir('rlsgen-pg-');
  const dir = folder.path;
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const as = owner === null ? {} : { uid: owner.uid, gid: owner.gid };
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  // The step running now (initdb, pg_ctl start): a cleanup that comes
  // meanwhile (Ctrl-C) waits for it, so that no server starts after the
  // cleanup looked and no initdb writes into a removed folder.
  let step: Promise<unknown> = Promise.resolve();
  let startTried = false;
  const stopServer = async (): Promise<void> => {
    await step.catch(() => undefined);
    if (startTried) await stopCluster(binDir, dataDir, { ...as, env });
  };
  const stop = registerCleanup(async () => {
    await stopServer();
    await folder.remove();
  });
  try {
    const pwfile = join(dir, 'pw');
    // 0600 inside a 0700 folder; read once by initdb, removed right after.
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner !== null) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(pwfile, owner.uid, owner.gid);
    }
    step = run(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync'], { ...as, env });
    try {
      await step;
    } finally {
      rmSync(pwfile, { force: true });
    }
    // fsync off for speed, in postgresql.conf rather than on the command line
    // (which no setting can override), so ALTER SYSTEM and a reload can turn it
    // back on: the online benchmark measures with fsync on, as in production.
    appendFileSync(join(dataDir, 'postgresql.conf'), '\n# rlsgen: a throwaway server\nfsync = off\n');
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`;
    startTried = true;
    step = run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'], { ...as, env });
    await step;
  } catch (error) {
    await stop();
    throw new Error(`PostgreSQL from ${binDir} did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const connection = { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' };
  try {
    const { versionNum, version } = await serverVersion(connection);
    return { kind: 'binaries', versionNum, version, connection, throwaway: true, dataDir: dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `pg_ctl stop -m fast`. A `pg_ctl start` killed halfway (a Ctrl-C that
 * reached the whole process group) leaves the postmaster it forked starting
 * in its own session, and it writes `postmaster.pid` a moment later: wait
 * for that file briefly before taking "no server" for an answer.
 */
async function stopCluster(binDir: string, dataDir: string, options: { uid?: number; gid?: number; env: NodeJS.ProcessEnv }): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  for (let waited = 0; !existsSync(pidFile) && waited < 2_000; waited += 100) await sleep(100);
  if (!existsSync(pidFile)) return;
  const pid = postmasterPid(pidFile);
  await run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], options).catch(() => undefined);
  // pg_ctl returns once postmaster.pid is gone, which the postmaster removes
  // just before it exits: wait for the process itself, so that "stopped"
  // means no process is left when the folder goes.
  for (let waited = 0; pid !== null && isRunning(pid) && waited < 10_000; waited += 50) await sleep(50);
}

/** The postmaster's process id: the first line of postmaster.pid (null if unreadable). */
function postmasterPid(pidFile: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
