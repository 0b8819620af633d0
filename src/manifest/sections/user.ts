import { section } from '../section.js';

/** `user:` the second session variable, read by `legacy_owner` tables. */
export const userSection = section({
  key: 'user',
  build: ({ raw }) => ({ setting: raw.user?.setting ?? 'app.user_id', type: raw.user?.type ?? 'uuid' }),
});
