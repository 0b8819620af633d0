import { registerCleanup } from './cleanup.js';
import { serverVersion, type ServerHandle } from './server.js';

export const DEFAULT_IMAGE = 'postgres:17-alpine';

/**
 * Why no container can start here, or null when a container runtime answers.
 * testcontainers is an optional dependency, loaded only when asked for.
 */
export async function containerRuntimeUnavailable(): Promise<string | null> {
  let testcontainers: typeof import('testcontainers');
  try {
    testcontainers = await import('testcontainers');
  } catch {
    return 'the optional dependency testcontainers is not installed';
  }
  try {
    await testcontainers.getContainerRuntimeClient();
    return null;
  } catch (error) {
    return `no container runtime (Docker) answers: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/**
 * Starts a throwaway PostgreSQL in a container with testcontainers (Docker
 * or a compatible runtime), for other server versions or images with
 * extensions. `stop()` removes the container.
 */
export async function startContainer(image: string = DEFAULT_IMAGE): Promise<ServerHandle> {
  const unavailable = await containerRuntimeUnavailable();
  if (unavailable !== null) throw new Error(`cannot start ${image}: ${unavailable}`);
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(image).withDatabase('postgres').start();
  const stop = registerCleanup(async () => {
    await container.stop().catch(() => undefined);
  });
  const connection = {
    host: container.getHost(),
    port: container.getPort(),
    user: container.getUsername(),
    password: container.getPassword(),
    database: container.getDatabase(),
  };
  const { versionNum, version } = await serverVersion(connection);
  return { kind: 'container', versionNum, version, connection, throwaway: true, stop };
}
