import { MATRIX_COLUMNS } from './registry.js';
import { acceptedExposures, cellStatus, type CheckResult, type CheckStatus, failures, type ObjectVerdict, skippedChecks, type VerifyResult } from './result.js';

export interface MatrixStyle {
  readonly pass: (text: string) => string;
  readonly fail: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export const PLAIN: MatrixStyle = { pass: (t) => t, fail: (t) => t, dim: (t) => t, bold: (t) => t };

const SYMBOL: Record<CheckStatus, string> = { pass: '✓', fail: '✗', accepted: '!', skipped: '?', 'n/a': '·' };

function paint(style: MatrixStyle, status: CheckStatus, text: string): string {
  return status === 'pass' ? style.pass(text) : status === 'fail' ? style.fail(text) : style.dim(text);
}

/** One line per object the application role can use besides the scoped tables, with what the probes found. */
function objectLines(objects: readonly ObjectVerdict[], style: MatrixStyle): string[] {
  const lines: string[] = [];
  for (const object of objects) {
    const status = cellStatus(object.checks);
    const shown: readonly CheckResult[] = status === 'pass' || status === 'n/a' ? object.checks : object.checks.filter((c) => c.status === status);
    const detail = shown.map((c) => (status === 'pass' || status === 'n/a' ? c.detail : `${c.check}: ${c.detail}`)).join('; ');
    lines.push(`  ${paint(style, status, SYMBOL[status])} ${object.object} (${object.privileges.join(', ')}): ${detail === '' ? 'no probe applies' : detail}`);
    for (const c of shown.filter((x) => x.status === 'accepted')) lines.push(style.dim(`      accepted: ${c.acknowledged ?? ''}`));
  }
  return lines;
}

/**
 * The table × check matrix, one line per table; the role checks; every other
 * object the application role can use; then the verdict, every failure with
 * the SQL that leaked and every exposure the manifest accepts.
 */
export function formatMatrix(result: VerifyResult, style: MatrixStyle = PLAIN): string[] {
  const width = Math.max(5, ...result.tables.map((t) => t.table.length)) + 2;
  const lines: string[] = [];
  const scoped = result.tables.filter((t) => t.mode !== 'exempt' && !t.tenantTable);
  const roots = result.tables.filter((t) => t.tenantTable);
  const exempt = result.tables.filter((t) => t.mode === 'exempt');
  lines.push(
    `Isolation proof on PostgreSQL ${result.serverVersion}: ${scoped.length} scoped tables${roots.length > 0 ? ', the tenant table' : ''}, ${exempt.length} exempt${result.lookups.length > 0 ? `, ${result.lookups.length} lookup(s)` : ''}, probed as ${result.appRole}`,
    `connected as ${result.connectedAs.role}${result.connectedAs.superuser ? ' (superuser)' : ' (not a superuser)'}, acting as ${result.appRole} with ${result.connectedAs.actingBy}`,
  );
  lines.push(`with tenants A = ${result.tenants[0]} and B = ${result.tenants[1]} (✓ proven, ✗ leaked, ! accepted in the manifest, ? not checked, · does not apply)`);
  lines.push('');
  const header = `${'table'.padEnd(width)}${'mode'.padEnd(8)}${MATRIX_COLUMNS.map((c) => c.title.padEnd(c.title.length + 2)).join('')}`;
  lines.push(style.bold(header.trimEnd()));
  for (const table of scoped) {
    const cells = MATRIX_COLUMNS.map((column) => {
      const status = cellStatus(table.checks, column.checks);
      return paint(style, status, SYMBOL[status].padEnd(column.title.length + 2));
    }).join('');
    lines.push(`${table.table.padEnd(width)}${table.mode.padEnd(8)}${cells}`.trimEnd());
  }
  for (const table of roots) {
    const status = cellStatus(table.checks, table.checks.map((c) => c.check));
    const mark = status === 'fail' ? style.fail(SYMBOL.fail) : status === 'pass' ? style.pass(SYMBOL.pass) : style.dim(SYMBOL['n/a']);
    lines.push(`${table.table.padEnd(width)}${'tenant'.padEnd(8)}${mark} the tenant table: each tenant sees its own row only`);
  }
  for (const table of exempt) lines.push(style.dim(`${table.table.padEnd(width)}${'exempt'.padEnd(8)}${table.reason ?? ''}`));
  lines.push('');
  for (const check of result.roleChecks) lines.push(`${paint(style, check.status, SYMBOL[check.status])} role: ${check.detail}`);
  for (const lookup of result.lookups) {
    const ok = lookup.checks.every((c) => c.status !== 'fail');
    lines.push(`${ok ? style.pass('✓') : style.fail('✗')} lookup ${lookup.lookup}: ${lookup.exposes} (an accepted exposure: one row by its exact key, these columns only)`);
  }
  if (result.objects.length > 0) {
    lines.push('');
    lines.push(`Everything else ${result.appRole} can use (its own grants, PUBLIC's, those of the roles it is a member of):`);
    lines.push(...objectLines(result.objects, style));
  }
  for (const a of result.acknowledgements.filter((x) => !x.used)) {
    lines.push(style.dim(`note: the acknowledgement of ${a.finding} on ${a.object} matched nothing in this run`));
  }
  const failed = failures(result);
  const accepted = acceptedExposures(result);
  const notChecked = skippedChecks(result);
  lines.push('');
  if (failed.length === 0 && notChecked.length > 0) {
    lines.push(style.fail(`NOT PROVEN: no check failed, but ${notChecked.length} check(s) could not be made on this connection:`));
  } else if (failed.length === 0) {
    const others = result.objects.length === 0 ? '' : `, and no path found through the ${result.objects.length} other object(s) ${result.appRole} can use`;
    const lookups = result.lookups.length === 0 ? '' : ` The ${result.lookups.length} lookup(s) above are the only pre-tenant access, each proven narrow.`;
    // An accepted exposure is a path the proof found and the manifest accepts: not a PASS.
    const verdict =
      accepted.length === 0
        ? `PASS: no tenant can read or change another tenant's rows in any of the ${scoped.length + roots.length} scoped tables${others}.`
        : `ACCEPTED, NOT A FULL PASS: ${accepted.length} exposure(s) accepted in the manifest, listed below, are paths to other tenants' rows; apart from them no tenant can read or change another tenant's rows in any of the ${scoped.length + roots.length} scoped tables${others}.`;
    lines.push(style.pass(`${verdict}${lookups}`));
  } else {
    lines.push(style.fail(`FAIL: ${failed.length} check(s) failed.`));
    for (const { table, check } of failed) {
      lines.push(`  ${style.bold(table)} ${check.check}: ${check.detail}`);
      if (check.sql !== undefined) lines.push(`    ${style.dim(check.sql)}`);
    }
  }
  if (failed.length > 0 && notChecked.length > 0) lines.push(style.fail(`Not checked on this connection (${notChecked.length}):`));
  for (const { table, check } of notChecked) lines.push(`  ${style.bold(table)} ${check.check}: ${check.detail}`);
  if (accepted.length > 0) {
    lines.push(`Accepted in the manifest (${accepted.length}):`);
    for (const { table, check } of accepted) lines.push(`  ${style.bold(table)} ${check.check}: ${check.acknowledged ?? ''}`);
  }
  return lines;
}
