import { MATRIX_COLUMNS } from './registry.js';
import { cellStatus, type CheckStatus, failures, type VerifyResult } from './result.js';

export interface MatrixStyle {
  readonly pass: (text: string) => string;
  readonly fail: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export const PLAIN: MatrixStyle = { pass: (t) => t, fail: (t) => t, dim: (t) => t, bold: (t) => t };

const SYMBOL: Record<CheckStatus, string> = { pass: '✓', fail: '✗', 'n/a': '·' };

/** The table × check matrix, one line per table, then every failure with the SQL that leaked. */
export function formatMatrix(result: VerifyResult, style: MatrixStyle = PLAIN): string[] {
  const width = Math.max(5, ...result.tables.map((t) => t.table.length)) + 2;
  const lines: string[] = [];
  const scoped = result.tables.filter((t) => t.mode !== 'exempt');
  const exempt = result.tables.filter((t) => t.mode === 'exempt');
  lines.push(
    `Isolation proof on PostgreSQL ${result.serverVersion}: ${scoped.length} scoped tables, ${exempt.length} exempt, probed as ${result.appRole}`,
  );
  lines.push(`with tenants A = ${result.tenants[0]} and B = ${result.tenants[1]} (✓ proven, ✗ leaked, · does not apply)`);
  lines.push('');
  const header = `${'table'.padEnd(width)}${'mode'.padEnd(8)}${MATRIX_COLUMNS.map((c) => c.title.padEnd(c.title.length + 2)).join('')}`;
  lines.push(style.bold(header.trimEnd()));
  for (const table of scoped) {
    const cells = MATRIX_COLUMNS.map((column) => {
      const status = cellStatus(table.checks, column.checks);
      const cell = SYMBOL[status].padEnd(column.title.length + 2);
      return status === 'pass' ? style.pass(cell) : status === 'fail' ? style.fail(cell) : style.dim(cell);
    }).join('');
    lines.push(`${table.table.padEnd(width)}${table.mode.padEnd(8)}${cells}`.trimEnd());
  }
  for (const table of exempt) lines.push(style.dim(`${table.table.padEnd(width)}${'exempt'.padEnd(8)}${table.reason ?? ''}`));
  lines.push('');
  for (const check of result.roleChecks) {
    const mark = check.status === 'pass' ? style.pass('✓') : style.fail('✗');
    lines.push(`${mark} role: ${check.detail}`);
  }
  const failed = failures(result);
  lines.push('');
  if (failed.length === 0) {
    lines.push(style.pass(`PASS: no tenant can read or change another tenant's rows in any of the ${scoped.length} scoped tables.`));
  } else {
    lines.push(style.fail(`FAIL: ${failed.length} check(s) failed.`));
    for (const { table, check } of failed) {
      lines.push(`  ${style.bold(table)} ${check.check}: ${check.detail}`);
      if (check.sql !== undefined) lines.push(`    ${style.dim(check.sql)}`);
    }
  }
  return lines;
}
