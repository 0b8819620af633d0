import type { RawManifest } from '../raw-manifest.js';
import type { Reporter } from '../report.js';

/** `defaults:`: the schema of tables named without one, and the primary key of tables that do not name theirs. */
export interface ManifestDefaults {
  readonly schema: string;
  readonly primaryKey: string;
}

export function readDefaults(raw: RawManifest, report: Reporter): ManifestDefaults {
  const schema = raw.defaults?.schema ?? 'public';
  report.checkIdentifier(['defaults', 'schema'], schema);
  const primaryKey = raw.defaults?.primary_key ?? 'id';
  report.checkIdentifier(['defaults', 'primary_key'], primaryKey);
  return { schema, primaryKey };
}
