import type { ProbeError } from './check.js';

/** A failed reference, and the value the probe wrote into the referencing column. */
export interface ReferenceFailure {
  readonly error: ProbeError;
  readonly value: string;
}

/**
 * Whether two failed writes of a foreign-key column say the same thing about
 * the referenced table, whatever value each wrote: the same SQLSTATE,
 * constraint, relation and message, and a detail of the same shape. A
 * foreign-key violation's detail is
 * `Key (company_id, contact_id)=(7, 42) is not present in table "contacts".`
 * (ri_ReportViolation in PostgreSQL's ri_triggers.c): its names and table are
 * compared, its values (the row being written, nothing of the other
 * tenant's) are not. Comparing structurally, and not by erasing the value
 * from the text, keeps an id that also occurs in a constraint name, a
 * table name or as the tenant's own id from making two identical errors
 * look different.
 */
export function sameReferenceFailure(a: ReferenceFailure, b: ReferenceFailure, columns: readonly string[]): boolean {
  const left = a.error;
  const right = b.error;
  if (left.code !== right.code || left.constraint !== right.constraint || left.schema !== right.schema || left.table !== right.table) return false;
  if (left.code === FOREIGN_KEY_VIOLATION) {
    // Its message names the tables and the constraint only: compared as it is.
    return left.message === right.message && violationShape(left.detail, columns) === violationShape(right.detail, columns);
  }
  return withoutValue(left.message, a.value) === withoutValue(right.message, b.value) && withoutValue(left.detail, a.value) === withoutValue(right.detail, b.value);
}

const FOREIGN_KEY_VIOLATION = '23503';

const MISSING = /\) is not present in table "((?:[^"]|"")*)"\.$/s;

/** A foreign-key violation's detail without its key values; any other detail as it is. */
function violationShape(detail: string, columns: readonly string[]): string {
  const head = `Key (${columns.join(', ')})=(`;
  const tail = MISSING.exec(detail);
  return detail.startsWith(head) && tail !== null && tail.index >= head.length ? `${head}…${tail[0]}` : detail;
}

/**
 * `text` with `value` left out where it stands as a whole token (not inside
 * a longer name or number), for errors of other kinds, whose text may
 * quote the value written (a check constraint's failing row).
 */
function withoutValue(text: string, value: string): string {
  if (value === '') return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    const before = text[at - 1] ?? '';
    const after = text[at + value.length] ?? '';
    if (/[\w-]/.test(before) || /\w/.test(after) || at < from) continue;
    out += `${text.slice(from, at)}?`;
    from = at + value.length;
  }
  return out + text.slice(from);
}
