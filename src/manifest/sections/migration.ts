import { section } from '../section.js';

/** `migration:` how the generated migration behaves on a live database, and who owns rlsgen's own objects. */
export const migrationSection = section({
  key: 'migration',
  build: ({ raw, report }) => {
    const owner = raw.migration?.owner;
    if (owner !== undefined) report.checkIdentifier(['migration', 'owner'], owner);
    return {
      lockTimeout: raw.migration?.lock_timeout ?? '2s',
      statementTimeout: raw.migration?.statement_timeout ?? '30s',
      batchSize: raw.migration?.batch_size ?? 5000,
      batchPause: raw.migration?.batch_pause ?? '0',
      ...(owner === undefined ? {} : { owner }),
    };
  },
});
