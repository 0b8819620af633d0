import { section } from '../section.js';

/** `version:` the manifest format (the JSON Schema admits only 1). */
export const versionSection = section({
  key: 'version',
  build: ({ raw }) => raw.version,
});
