import { createHash } from 'node:crypto';

/** The uuid the fixtures derive from a readable key (`md5(key)::uuid`), e.g. `fixtureId('company:nadan')`. */
export function fixtureId(key: string): string {
  const hex = createHash('md5').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
