import { quoteLiteral } from '../sql/quote.js';
import type { CheckKind, Counterexample, Row } from './result.js';

const literal = (v: string | null | undefined): string => (v === null || v === undefined ? 'NULL' : quoteLiteral(v));

/** `with app.company_id = 'A'`, or unset, empty, malformed. */
export function describeSession(c: Counterexample): string {
  const base =
    c.scenario === 'unset'
      ? `with ${c.setting} unset`
      : c.scenario === 'empty'
        ? `with ${c.setting} = '' (a pooled connection)`
        : c.scenario === 'malformed'
          ? `with ${c.setting} = ${literal(c.settingValue)} (malformed)`
          : `with ${c.setting} = ${literal(c.settingValue)} (tenant ${literal(c.tenant)})`;
  const others = Object.entries(c.session).map(([k, v]) => `${k} = ${literal(v)}`);
  return others.length === 0 ? base : `${base}, ${others.join(', ')}`;
}

function describeRow(row: Row, tenantColumn: string): string {
  const tenant = `${tenantColumn} = ${literal(row[tenantColumn])}`;
  const others = Object.entries(row).filter(([k]) => k !== tenantColumn).map(([k, v]) => `${k} = ${literal(v)}`);
  return others.length === 0 ? tenant : `${tenant} (${others.join(', ')})`;
}

/** One sentence: the session, the row, and what happens to it. */
export function describeLeak(check: CheckKind, c: Counterexample, tenantColumn: string): string {
  const session = describeSession(c);
  const row = describeRow(c.row, tenantColumn);
  switch (check) {
    case 'read':
      return `${session}, a row with ${row} is visible`;
    case 'delete':
      return `${session}, a row with ${row} can be deleted`;
    case 'update-out':
      return `${session}, a row with ${row} can be updated`;
    case 'update-into':
      return `${session}, a row with ${describeRow(c.oldRow ?? {}, tenantColumn)} can be updated into ${row}`;
    case 'insert':
      return `${session}, a row with ${row} can be inserted`;
    case 'write-global':
      return `${session}, a row with ${row} can be written, and tenant ${literal(c.reader?.tenant)} then sees it`;
    default: {
      const never: never = check;
      return never;
    }
  }
}
