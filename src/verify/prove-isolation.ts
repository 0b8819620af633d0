import { randomBytes } from 'node:crypto';
import { type ApplyEvent, type ApplyResult, applyMigrations } from '../apply/apply-migrations.js';
import { loadSqlFile } from '../db/load-sql-file.js';
import { openServer, type ServerSpec } from '../db/open-server.js';
import { type ConnectionInfo, createDatabase, dropDatabase, type ServerHandle, withClient } from '../db/server.js';
import type { Model } from '../manifest/model.js';
import type { VerifyResult } from './result.js';
import { verifyIsolation } from './verify-isolation.js';

export interface ProveOptions {
  readonly model: Model;
  readonly server: ServerSpec;
  /** The application's schema (SQL, or a plain pg_dump file with COPY blocks); its data optionally. */
  readonly schemaFile: string;
  readonly dataFile?: string;
  /** The migrations to apply (generated-sql/). */
  readonly dir: string;
  readonly onEvent?: (event: ApplyEvent | { readonly kind: 'phase'; readonly phase: string; readonly detail: string }) => void;
}

export interface ProveResult {
  readonly server: { readonly kind: string; readonly version: string };
  readonly apply: ApplyResult;
  readonly verify: VerifyResult;
}

/**
 * A throwaway database with the user's schema and data, every migration
 * applied, and the isolation proof run on it; the database (and the server,
 * when rlsgen started it) is removed afterwards, also on failure.
 */
export async function proveIsolation(options: ProveOptions): Promise<ProveResult> {
  const emit = options.onEvent ?? (() => undefined);
  emit({ kind: 'phase', phase: 'server', detail: options.server.kind === 'url' ? 'connecting to the server' : `starting a throwaway ${options.server.kind} PostgreSQL` });
  const server: ServerHandle = await openServer(options.server);
  const name = `rlsgen_verify_${randomBytes(5).toString('hex')}`;
  let created = false;
  try {
    emit({ kind: 'phase', phase: 'database', detail: `PostgreSQL ${server.version}: database ${name}` });
    const connection: ConnectionInfo = await createDatabase(server, name);
    created = true;
    await withClient(connection, (c) => loadSqlFile(c, options.schemaFile));
    const dataFile = options.dataFile;
    if (dataFile !== undefined) await withClient(connection, (c) => loadSqlFile(c, dataFile));
    emit({ kind: 'phase', phase: 'apply', detail: `applying ${options.dir}` });
    const apply = await applyMigrations({ connection, dir: options.dir, onEvent: emit });
    emit({ kind: 'phase', phase: 'verify', detail: 'probing every table as the application role' });
    const verify = await withClient(connection, (client) => verifyIsolation({ model: options.model, client }), 'rlsgen verify');
    return { server: { kind: server.kind, version: server.version }, apply, verify };
  } finally {
    if (created) await dropDatabase(server, name).catch(() => undefined);
    await server.stop();
  }
}
