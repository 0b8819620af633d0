import { startBinaries } from './binaries.js';
import { startContainer } from './container.js';
import { startEmbedded } from './embedded.js';
import { parseConnectionUrl, serverVersion, type ServerHandle } from './server.js';

/** Which server a command runs against. */
export type ServerSpec =
  | { readonly kind: 'embedded' }
  | { readonly kind: 'binaries'; readonly binDir: string }
  | { readonly kind: 'container'; readonly image?: string }
  | { readonly kind: 'url'; readonly url: string };

/** An existing server; rlsgen neither starts nor stops it. */
export async function connectUrl(url: string): Promise<ServerHandle> {
  const connection = parseConnectionUrl(url);
  const { versionNum, version } = await serverVersion(connection);
  return { kind: 'url', versionNum, version, connection, throwaway: false, stop: async () => undefined };
}

/** The one place that decides where a database comes from. */
export async function openServer(spec: ServerSpec): Promise<ServerHandle> {
  switch (spec.kind) {
    case 'embedded':
      return startEmbedded();
    case 'binaries':
      return startBinaries(spec.binDir);
    case 'container':
      return startContainer(spec.image);
    case 'url':
      return connectUrl(spec.url);
    default: {
      const never: never = spec;
      throw new Error(`unknown server kind ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The server from command-line options: `--database-url`, then
 * `DATABASE_URL`, then a container when `--container [image]` is given,
 * else the embedded default.
 */
export function serverSpecFrom(options: { databaseUrl?: string; container?: string | boolean; pgBin?: string }, env: NodeJS.ProcessEnv): ServerSpec {
  if (options.databaseUrl !== undefined) return { kind: 'url', url: options.databaseUrl };
  if (options.container !== undefined && options.container !== false) {
    return typeof options.container === 'string' ? { kind: 'container', image: options.container } : { kind: 'container' };
  }
  if (options.pgBin !== undefined) return { kind: 'binaries', binDir: options.pgBin };
  const fromEnv = env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return { kind: 'url', url: fromEnv };
  return { kind: 'embedded' };
}
