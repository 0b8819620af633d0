/** Tenant id types, as the manifest's `tenant.type` names them. */
export type TenantIdType = 'uuid' | 'bigint' | 'integer' | 'text';

/** The TypeScript type a tenant id of each SQL type is given as. */
export type TenantIdOf<T extends TenantIdType> = T extends 'uuid'
  ? string
  : T extends 'bigint'
    ? bigint | number | string
    : T extends 'integer'
      ? number
      : string;

export class TenantIdError extends TypeError {
  override readonly name = 'TenantIdError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function describe(value: unknown): string {
  if (value === '') return 'an empty string';
  if (value === null || value === undefined) return String(value);
  return `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? value.toString() : value)}`;
}

/**
 * The tenant id as the text `set_config` receives, after checking it is a
 * value of the tenant type. A missing, empty or malformed id throws: it never
 * reaches the database as an empty string or as text PostgreSQL would cast
 * differently.
 */
export function formatTenantId(type: TenantIdType, value: unknown): string {
  switch (type) {
    case 'uuid':
      if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
      break;
    case 'bigint': {
      let n: bigint | null = null;
      if (typeof value === 'bigint') n = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
      else if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) n = BigInt(value);
      if (n !== null && n >= INT64_MIN && n <= INT64_MAX) return n.toString();
      break;
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return String(value);
      break;
    case 'text':
      if (typeof value === 'string' && value !== '' && !value.includes('\u0000')) return value;
      break;
    default: {
      const never: never = type;
      throw new TenantIdError(`unknown tenant id type ${String(never)}`);
    }
  }
  throw new TenantIdError(`tenant id must be a ${type}, got ${describe(value)}`);
}
