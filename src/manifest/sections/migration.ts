import { section } from '../section.js';

/** `migration:` how the generated migration behaves on a live database. */
export const migrationSection = section({
  key: 'migration',
  build: ({ raw }) => ({
    lockTimeout: raw.migration?.lock_timeout ?? '2s',
    statementTimeout: raw.migration?.statement_timeout ?? '30s',
    batchSize: raw.migration?.batch_size ?? 5000,
    batchPause: raw.migration?.batch_pause ?? '0',
  }),
});
