/**
 * Bounds on what a manifest may be, so that a file made by mistake (or on
 * purpose) gets a clear, positioned error instead of a hang or an
 * out-of-memory crash. Each is far above what an application's manifest
 * needs: the benchmark validates 100,000 tables (about 11 MB) in seconds.
 */

/** Bytes of the manifest file. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Entries under `tables:`. */
export const MAX_TABLES = 500_000;

/**
 * Nodes that YAML aliases (`*name`) may add to the document in total, each
 * alias counting the size of what it repeats: a few reused blocks fit, an
 * "alias bomb" (aliases of aliases, exponential in size) does not.
 */
export const MAX_ALIAS_NODES = 100_000;

/** Levels of nested mappings and lists (a manifest needs six). */
export const MAX_NESTING = 64;

export interface ManifestLimits {
  readonly bytes: number;
  readonly tables: number;
  readonly aliasNodes: number;
  readonly nesting: number;
}

export const LIMITS: ManifestLimits = { bytes: MAX_MANIFEST_BYTES, tables: MAX_TABLES, aliasNodes: MAX_ALIAS_NODES, nesting: MAX_NESTING };
