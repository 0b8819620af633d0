import { containerRuntimeUnavailable, DEFAULT_IMAGE, ownedContainers } from '../../src/db/container.js';

/**
 * The image the container tests run: the one the container lane built from
 * Debian's packages (scripts/container-lane.sh), else rlsgen's default.
 */
export const TEST_IMAGE = process.env['RLSGEN_TEST_CONTAINER_IMAGE'] || DEFAULT_IMAGE;

/** Why the container tests skip here, or null when an engine answers. */
export async function containerTestsSkipped(): Promise<string | null> {
  const unavailable = await containerRuntimeUnavailable();
  if (unavailable === null) return null;
  const lane = process.env['RLSGEN_CONTAINER_LANE_SKIP'];
  return lane === undefined || lane === '' ? unavailable : `the container lane could not be prepared: ${lane}`;
}

/** Ids of every container, running or not, that some rlsgen process labelled as its own. */
export async function rlsgenContainers(): Promise<string[]> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  return ownedContainers(await getContainerRuntimeClient());
}
