import { createServer } from 'node:net';
import pg from 'pg';
import { quoteIdent } from '../sql/quote.js';
import { sendCancelRequest } from './cancel-request.js';
import { onInterrupt } from './cleanup.js';

/** Where to reach a PostgreSQL server, as node-postgres takes it. */
export interface ConnectionInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export type ProviderKind = 'embedded' | 'binaries' | 'container' | 'url';

/** A running server rlsgen can use; `stop()` removes a throwaway one. */
export interface ServerHandle {
  readonly kind: ProviderKind;
  /** `server_version_num`, e.g. 150018. */
  readonly versionNum: number;
  readonly version: string;
  /** Connection to the server's maintenance database (or the URL's database). */
  readonly connection: ConnectionInfo;
  /** True when rlsgen started the server and may create and drop databases on it freely. */
  readonly throwaway: boolean;
  /** Data directory of a server rlsgen started on this machine (removed by stop()). */
  readonly dataDir?: string;
  stop(): Promise<void>;
}

export function connectionFor(server: ServerHandle, database?: string): ConnectionInfo {
  return database === undefined ? server.connection : { ...server.connection, database };
}

export function connectionUrl(info: ConnectionInfo): string {
  const auth = `${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}`;
  return `postgres://${auth}@${info.host}:${info.port}/${encodeURIComponent(info.database)}`;
}

export function parseConnectionUrl(url: string): ConnectionInfo {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a PostgreSQL URL: ${url.replace(/:[^:@/]*@/, ':***@')}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`not a PostgreSQL URL (expected postgres://): ${parsed.protocol}`);
  }
  return {
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    user: decodeURIComponent(parsed.username) || process.env['PGUSER'] || 'postgres',
    password: decodeURIComponent(parsed.password) || process.env['PGPASSWORD'] || '',
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
}

export function clientConfig(info: ConnectionInfo, applicationName = 'rlsgen'): pg.ClientConfig {
  return { ...info, application_name: applicationName, connectionTimeoutMillis: 30_000 };
}

/**
 * A connected client that an interruption of the run (`interruptRun`)
 * reaches: its running statement is cancelled and the connection closed, so
 * the code awaiting it rejects and unwinds. Close it with `end()`.
 */
export async function connectClient(info: ConnectionInfo, applicationName?: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(info, applicationName));
  // A connection that breaks while idle emits 'error'; the next query rejects with it.
  client.on('error', () => undefined);
  const dismiss = onInterrupt(() => interruptClient(client, info));
  client.once('end', dismiss);
  try {
    await client.connect();
  } catch (error) {
    dismiss();
    throw error;
  }
  return client;
}

/** The backend key pg keeps from BackendKeyData (not in its published types). */
interface BackendKey {
  readonly processID?: number | null;
  readonly secretKey?: number | null;
}

async function interruptClient(client: pg.Client, info: ConnectionInfo): Promise<void> {
  const key = client as unknown as BackendKey;
  if (typeof key.processID === 'number' && typeof key.secretKey === 'number') {
    await sendCancelRequest(info.host, info.port, key.processID, key.secretKey);
  }
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 3_000);
  });
  await Promise.race([client.end().catch(() => undefined), gaveUp]);
  clearTimeout(timer);
}

/** Opens a client, runs `fn`, and always closes it. */
export async function withClient<T>(info: ConnectionInfo, fn: (client: pg.Client) => Promise<T>, applicationName?: string): Promise<T> {
  const client = await connectClient(info, applicationName);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function serverVersion(info: ConnectionInfo): Promise<{ versionNum: number; version: string }> {
  return withClient(info, async (client) => {
    const { rows } = await client.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    );
    const row = rows[0];
    return { versionNum: Number(row?.num ?? 0), version: row?.version ?? 'unknown' };
  });
}

export async function createDatabase(server: ServerHandle, name: string): Promise<ConnectionInfo> {
  await withClient(server.connection, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return connectionFor(server, name);
}

export async function dropDatabase(server: ServerHandle, name: string): Promise<void> {
  await withClient(server.connection, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(
    // WITH (FORCE) is PostgreSQL 13+; older servers get the plain form.
    () => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`),
  ));
}

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
