import { section } from '../section.js';

/** `templates:` a folder (relative to the manifest) whose templates replace the built-in ones. */
export const templatesSection = section({
  key: 'templates',
  build: ({ raw }) => raw.templates ?? null,
});
