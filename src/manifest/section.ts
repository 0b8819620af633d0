import type { Model } from './model.js';
import type { RawManifest } from './raw-manifest.js';
import type { Reporter } from './report.js';
import type { ManifestDefaults } from './sections/defaults.js';
import type { TableIndex } from './table-index.js';

/** What a section reads: the raw manifest, where to report, the declared tables, and the sections built before it. */
export interface SectionInput {
  readonly raw: RawManifest;
  readonly report: Reporter;
  readonly defaults: ManifestDefaults;
  readonly tables: TableIndex;
  /** The model field of a section registered earlier in sections/registry.ts. */
  built<K extends keyof Model>(key: K): Model[K];
}

/**
 * One part of the manifest: a file under src/manifest/sections/ that checks
 * its keys (reporting every problem with its position) and builds its field
 * of the model. Registered, in the order they depend on each other, in
 * sections/registry.ts. It always returns a value, even after reporting an
 * error, so that later sections are checked too; the model is only handed
 * out when no section reported an error.
 */
export interface ManifestSection<K extends keyof Model> {
  /** The field of the Model this section builds (usually its top-level key in policies.yaml). */
  readonly key: K;
  build(input: SectionInput): Model[K];
}

/** Declares a section (an identity function, for type inference of `key`). */
export function section<K extends keyof Model>(definition: ManifestSection<K>): ManifestSection<K> {
  return definition;
}
