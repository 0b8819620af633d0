import type { Model } from '../model.js';
import type { ManifestSection } from '../section.js';
import { acknowledgementsSection } from './acknowledgements.js';
import { contextSection } from './context.js';
import { databaseSection } from './database.js';
import { functionsSection } from './functions.js';
import { lookupsSection } from './lookups.js';
import { migrationSection } from './migration.js';
import { rolesSection } from './roles.js';
import { tablesSection } from './tables.js';
import { targetSection } from './target.js';
import { templatesSection } from './templates.js';
import { tenantSection } from './tenant.js';
import { userSection } from './user.js';
import { versionSection } from './version.js';
import { viewsSection } from './views.js';

/**
 * Every section of the manifest, in the order their fields appear in the
 * model (and in generated-sql/rlsgen.state.json). A section that reads
 * another one (`built('tenant')`) gets it built on demand, whatever the
 * order here. A new section is a file under sections/ and one line here.
 */
export const SECTIONS = [
  versionSection,
  tenantSection,
  userSection,
  rolesSection,
  migrationSection,
  contextSection,
  targetSection,
  templatesSection,
  tablesSection,
  viewsSection,
  functionsSection,
  acknowledgementsSection,
  databaseSection,
  lookupsSection,
] as const satisfies readonly ManifestSection<keyof Model>[];

// Fails to compile when a field of the Model has no section.
type Unbuilt = Exclude<keyof Model, (typeof SECTIONS)[number]['key']>;
export const EVERY_FIELD_HAS_A_SECTION: [Unbuilt] extends [never] ? true : Unbuilt = true;
