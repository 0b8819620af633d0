import { randomUUID } from 'node:crypto';
import type { ContainerRuntimeClient } from 'testcontainers';
import { registerCleanup } from './cleanup.js';
import { serverVersion, type ServerHandle } from './server.js';

export const DEFAULT_IMAGE = 'postgres:17-alpine';

/**
 * Every container rlsgen starts carries this label; its value names the
 * process that started it, so that process can find and remove its
 * containers even when it was interrupted before the engine said their id.
 */
export const CONTAINER_LABEL = 'org.rlsgen.owner';

/** How long removing a container may take before the engine is taken for gone. */
const REMOVE_TIMEOUT_MS = 30_000;

/** The image is neither on the machine nor pullable: bad input, not a failed proof. */
export class ContainerImageError extends Error {
  override readonly name = 'ContainerImageError';
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';

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
    return `no container runtime (Docker) answers: ${firstLine(error)}`;
  }
}

/** Ids of the containers, running or not, labelled as started by `owner` (by any rlsgen run without it). */
export async function ownedContainers(client: ContainerRuntimeClient, owner?: string): Promise<string[]> {
  const label = owner === undefined ? CONTAINER_LABEL : `${CONTAINER_LABEL}=${owner}`;
  const found = await client.container.dockerode.listContainers({ all: true, filters: { label: [label] } });
  return found.map((c) => c.Id);
}

/**
 * Removes the containers labelled as started by `owner`, with their
 * anonymous volumes; the throwaway server in them is killed, not shut down.
 */
async function removeOwnedContainers(client: ContainerRuntimeClient, owner: string): Promise<void> {
  const remove = async (): Promise<void> => {
    for (const id of await ownedContainers(client, owner)) {
      await client.container.dockerode
        .getContainer(id)
        .remove({ force: true, v: true })
        .catch((error: unknown) => {
          // 404: already gone; 409: the engine is removing it already.
          const status = (error as { statusCode?: unknown }).statusCode;
          if (status !== 404 && status !== 409) throw new Error(`container ${id.slice(0, 12)} could not be removed (docker rm -f ${id.slice(0, 12)}): ${firstLine(error)}`);
        });
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the container engine did not remove the containers labelled ${CONTAINER_LABEL}=${owner} within ${REMOVE_TIMEOUT_MS / 1000} s`)), REMOVE_TIMEOUT_MS);
  });
  try {
    await Promise.race([remove(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Where a start stands, for a cleanup that may come at any moment: while the
 * engine is creating the container, its id is not known yet, so the cleanup
 * waits (briefly) for the creation to answer before removing by label.
 */
function startPhases() {
  let phase: 'pulling' | 'creating' | 'created' = 'pulling';
  let createdOrFailed: () => void = () => undefined;
  const creation = new Promise<void>((resolve) => {
    createdOrFailed = resolve;
  });
  return {
    get current() {
      return phase;
    },
    creating(): void {
      phase = 'creating';
    },
    created(): void {
      phase = 'created';
      createdOrFailed();
    },
    failed(): void {
      createdOrFailed();
    },
    async settled(): Promise<void> {
      if (phase !== 'creating') return;
      await Promise.race([creation, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    },
  };
}

/**
 * Starts a throwaway PostgreSQL in a container with testcontainers (Docker
 * or a compatible runtime), for other server versions or images with
 * extensions. `stop()` removes the container; so do a failed start and
 * Ctrl-C, at any point of the start, without relying on testcontainers'
 * Ryuk reaper (which cannot run where no registry is reachable).
 */
export async function startContainer(image: string = DEFAULT_IMAGE): Promise<ServerHandle> {
  const unavailable = await containerRuntimeUnavailable();
  if (unavailable !== null) throw new Error(`cannot start ${image}: ${unavailable}`);
  const { getContainerRuntimeClient } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const client = await getContainerRuntimeClient();
  const owner = randomUUID();
  const phases = startPhases();
  class OwnedPostgreSqlContainer extends PostgreSqlContainer {
    protected override async beforeContainerCreated(): Promise<void> {
      phases.creating();
    }
    protected override async containerCreated(): Promise<void> {
      phases.created();
    }
  }
  const stop = registerCleanup(async () => {
    await phases.settled();
    await removeOwnedContainers(client, owner);
  });
  let container: Awaited<ReturnType<OwnedPostgreSqlContainer['start']>>;
  try {
    container = await new OwnedPostgreSqlContainer(image).withDatabase('postgres').withLabels({ [CONTAINER_LABEL]: owner }).start();
  } catch (error) {
    const pulling = phases.current === 'pulling';
    phases.failed();
    await stop();
    if (pulling) {
      throw new ContainerImageError(`cannot start a container from image ${JSON.stringify(image)}: it is not on this machine and pulling it failed: ${firstLine(error)}`);
    }
    throw new Error(`the container from ${image} did not start PostgreSQL: ${firstLine(error)}`);
  }
  const connection = {
    host: container.getHost(),
    port: container.getPort(),
    user: container.getUsername(),
    password: container.getPassword(),
    database: container.getDatabase(),
  };
  try {
    const { versionNum, version } = await serverVersion(connection);
    return { kind: 'container', versionNum, version, connection, throwaway: true, stop };
  } catch (error) {
    await stop();
    throw new Error(`the container from ${image} runs, but its PostgreSQL does not answer on ${connection.host}:${connection.port}: ${firstLine(error)}`);
  }
}
