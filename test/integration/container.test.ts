import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CONTAINER_LABEL, ContainerImageError, startContainer } from '../../src/db/container.js';
import { connectUrl } from '../../src/db/open-server.js';
import { connectionUrl, createDatabase, withClient } from '../../src/db/server.js';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { containerTestsSkipped, rlsgenContainers, TEST_IMAGE } from '../helpers/containers.js';
import { FIXTURE_DATA, FIXTURE_SCHEMA, runSqlFile } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const skipped = await containerTestsSkipped();
// testcontainers keeps an empty lock file for its reaper in the temp folder, shared by every testcontainers
// process of the user, so rlsgen leaves it; the test run's temp folder is its own.
afterAll(() => {
  // The file, and the lock directory proper-lockfile makes beside it (left when an interrupted run held it).
  for (const name of [`testcontainers-node-${userInfo().uid}.lock`, `testcontainers-node-${userInfo().uid}.lock.lock`]) rmSync(join(tmpdir(), name), { recursive: true, force: true });
});
const title = (what: string): string => (skipped === null ? what : `${what} (skipped: ${skipped})`);
// The shipped manifest's scoped tables (users, sessions and the tenant table included); the sentence goes on with the other objects and the lookups.
const PASS = "PASS: no tenant can read or change another tenant's rows in any of the 31 scoped tables";
const VERIFY_CONTAINER = ['verify', '--container', TEST_IMAGE, '--schema', FIXTURE_SCHEMA, '--data', FIXTURE_DATA];

const canConnect = async (url: string): Promise<boolean> => {
  try {
    return (await connectUrl(url)).versionNum > 0;
  } catch {
    return false;
  }
};

/**
 * Runs the built CLI and, once `ready(stderr)` holds (checked every 50 ms),
 * sends `signals` a tenth of a second apart, as a Ctrl-C or a CI timeout
 * would. Resolves with the exit status as a shell reports it (128 + the
 * signal when the process died of it).
 */
function interruptCli(args: readonly string[], ready: (stderr: string) => Promise<boolean>, signals: readonly NodeJS.Signals[]): Promise<{ status: number | null; stderr: string; interrupted: boolean }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [resolve('dist/src/cli/main.js'), ...args], {
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const poll = setInterval(() => {
      void ready(stderr).then((yes) => {
        if (!yes || interrupted) return;
        interrupted = true;
        clearInterval(poll);
        signals.forEach((signal, i) => setTimeout(() => child.kill(signal), 100 * i));
      });
    }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      done({ status: code ?? (signal === null ? null : 128 + constants.signals[signal]), stderr, interrupted });
    });
  });
}

const phase = (name: string) => async (stderr: string): Promise<boolean> => new RegExp(`^${name}: `, 'm').test(stderr);

describe.skipIf(skipped !== null)('container provider', () => {
  afterEach(async () => {
    expect(await rlsgenContainers()).toEqual([]);
  });

  it(title(`start and stop: a throwaway ${TEST_IMAGE} that stop() removes`), async () => {
    const server = await startContainer(TEST_IMAGE);
    const url = connectionUrl(server.connection);
    try {
      expect(server.kind).toBe('container');
      expect(server.throwaway).toBe(true);
      const major = /:(\d+)/.exec(TEST_IMAGE)?.[1];
      if (major !== undefined) expect(Math.floor(server.versionNum / 10000)).toBe(Number(major));
      expect(await canConnect(url)).toBe(true);
      expect(await rlsgenContainers()).toHaveLength(1);
    } finally {
      await server.stop();
    }
    await server.stop();
    expect(await rlsgenContainers()).toEqual([]);
    expect(await canConnect(url)).toBe(false);
  });

  it(title(`${TEST_IMAGE} honours POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB as the official image does`), async () => {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(TEST_IMAGE).withUsername('crm_owner').withPassword('s3cret-pw').withDatabase('crm').withLabels({ [CONTAINER_LABEL]: 'test' }).start();
    try {
      const connection = { host: container.getHost(), port: container.getPort(), user: 'crm_owner', password: 's3cret-pw', database: 'crm' };
      const row = await withClient(connection, async (c) => (await c.query<{ who: string; db: string; su: boolean }>('SELECT current_user AS who, current_database() AS db, usesuper AS su FROM pg_user WHERE usename = current_user')).rows[0]);
      expect(row).toEqual({ who: 'crm_owner', db: 'crm', su: true });
      // Password authentication over TCP (scram-sha-256), not trust.
      await expect(withClient({ ...connection, password: 'wrong' }, (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);
    } finally {
      await container.stop();
    }
  });

  it(title('a container that does not become PostgreSQL is removed, and the error says so'), async () => {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const docker = (await getContainerRuntimeClient()).container.dockerode;
    // The test image with an entrypoint that exits at once.
    const base = await docker.createContainer({ Image: TEST_IMAGE });
    const broken = 'rlsgen-test/exits-at-once:latest';
    await base.commit({ repo: 'rlsgen-test/exits-at-once', tag: 'latest', changes: ['ENTRYPOINT ["/bin/false"]'] });
    await base.remove({ force: true });
    try {
      const started = startContainer(broken);
      await expect(started).rejects.toThrow(/^the container from rlsgen-test\/exits-at-once:latest did not start PostgreSQL: /);
      await expect(started).rejects.not.toBeInstanceOf(ContainerImageError);
    } finally {
      await docker.getImage(broken).remove({ force: true });
    }
  });

  it(title('a wrong image name: a clear error, exit 2, nothing left'), async () => {
    await expect(startContainer('rlsgen-test/no-such-image:0')).rejects.toBeInstanceOf(ContainerImageError);
    const r = await runCliAsync(['verify', '--container', 'rlsgen-test/no-such-image:0', '--schema', FIXTURE_SCHEMA], { env: { DATABASE_URL: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: cannot start a container from image "rlsgen-test/no-such-image:0": it is not on this machine and pulling it failed: ');
  });

  it(title('rlsgen verify --container: the whole proof in a container, removed afterwards'), async () => {
    const r = await runCliAsync(VERIFY_CONTAINER, { env: { DATABASE_URL: '' } });
    expect(r.stderr).toMatch(/^server: starting a throwaway container PostgreSQL$/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(PASS);
  });

  it(title('rlsgen verify --container that fails once the container is up: its status, and the container removed'), async () => {
    const work = tempDir('container-fail');
    const lines = readFileSync(FIXTURE_SCHEMA, 'utf8').split('\n');
    const typoLine = lines.findIndex((l) => l.includes(' uuid PRIMARY KEY')) + 1;
    const typo = join(work, 'typo.sql');
    writeFileSync(typo, lines.map((l, i) => (i === typoLine - 1 ? l.replace(' uuid ', ' uuidd ') : l)).join('\n'));
    const badSchema = await runCliAsync(['verify', '--container', TEST_IMAGE, '--schema', typo], { env: { DATABASE_URL: '' } });
    expect(badSchema.stderr).toContain(`${typo}:${typoLine}: `);
    expect(badSchema.code).toBe(2);
    expect(await rlsgenContainers()).toEqual([]);
    const leaky = join(work, 'leaky-sql');
    cpSync('generated-sql', leaky, { recursive: true });
    const next = String(readdirSync(leaky).filter((f) => /^\d+_.*\.sql$/.test(f)).length + 1).padStart(4, '0');
    writeFileSync(join(leaky, `${next}_open_deals.sql`), 'CREATE POLICY open_deals ON public.deals FOR SELECT TO crm_app USING (true);\n');
    writeFileSync(join(leaky, 'down', `${next}_open_deals.down.sql`), 'DROP POLICY open_deals ON public.deals;\n');
    const leak = await runCliAsync([...VERIFY_CONTAINER, '-d', leaky], { env: { DATABASE_URL: '' } });
    expect(leak.stdout).toMatch(/deals\s+tenant\s+\S+\s+✗/);
    expect(leak.code).toBe(1);
  });

  it(title('rlsgen apply, then rlsgen verify, against a database in a container'), async () => {
    const server = await startContainer(TEST_IMAGE);
    try {
      const connection = await createDatabase(server, 'crm');
      await runSqlFile(connection, FIXTURE_SCHEMA);
      await runSqlFile(connection, FIXTURE_DATA);
      const url = connectionUrl(connection);
      const applied = await runCliAsync(['apply', '--database-url', url], { env: { DATABASE_URL: '' } });
      expect(applied.code).toBe(0);
      const verified = runCli(['verify', '--database-url', url], { env: { DATABASE_URL: '' } });
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain(PASS);
    } finally {
      await server.stop();
    }
  });

  // Ctrl-C (SIGINT; twice at one point) and a CI timeout's SIGTERM at each
  // stage of `verify --container`: before any container exists, once the
  // engine has created it (PostgreSQL not ready yet), while the migrations
  // apply, while the probes run.
  const interruptions: readonly { point: string; ready: (stderr: string) => Promise<boolean>; signals: NodeJS.Signals[]; removes: boolean }[] = [
    { point: 'as the server starts', ready: phase('server'), signals: ['SIGINT'], removes: false },
    { point: 'once the container exists', ready: async () => (await rlsgenContainers()).length > 0, signals: ['SIGINT'], removes: true },
    { point: 'while applying', ready: phase('apply'), signals: ['SIGTERM'], removes: true },
    { point: 'while probing', ready: phase('verify'), signals: ['SIGINT', 'SIGINT'], removes: true },
  ];
  for (const { point, ready, signals, removes } of interruptions) {
    const status = 128 + constants.signals[signals[0] ?? 'SIGINT'];
    it(title(`verify --container interrupted by ${signals.join(' + ')} ${point}: exit ${status}, no container left`), async () => {
      const r = await interruptCli(VERIFY_CONTAINER, ready, signals);
      expect(r.interrupted).toBe(true);
      expect(r.status).toBe(status);
      if (removes) expect(r.stderr).toContain(`rlsgen: ${signals[0] === 'SIGTERM' ? 'terminated' : 'interrupted'}; stopping throwaway servers and removing temporary files`);
    });
  }
});

describe.skipIf(skipped === null)('container provider without a container engine', () => {
  it(`reports why no container can start here (${skipped ?? ''})`, async () => {
    await expect(startContainer()).rejects.toThrow(/^cannot start postgres:17-alpine: /);
  });
});
