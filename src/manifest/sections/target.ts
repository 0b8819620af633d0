import { section } from '../section.js';

/** `target:` postgres, or citus (which adds the distribute stage). `--target` replaces it before the sections run. */
export const targetSection = section({
  key: 'target',
  build: ({ raw }) => raw.target ?? 'postgres',
});
