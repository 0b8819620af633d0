import type { ProofResult, TableProof, Verdict } from './result.js';

type Paint = (style: 'red' | 'green' | 'yellow' | 'bold' | 'dim', text: string) => string;

const STYLE: Record<Verdict, 'green' | 'red' | 'yellow'> = { PROVEN: 'green', LEAK: 'red', UNVERIFIED: 'yellow' };

/** The checks of a table that are not proven, one line each: `SELECT read: ...`. */
function openChecks(table: TableProof): string[] {
  if (table.reason !== undefined && table.verdict !== 'PROVEN') {
    const first = table.commands[0]?.checks[0];
    return [first === undefined ? table.reason : first.detail];
  }
  return table.commands.flatMap((c) => c.checks.filter((k) => k.verdict !== 'PROVEN').map((k) => `${c.command} ${k.check}: ${k.detail}`));
}

/**
 * One line per table with its verdict, the checks that leak or are not
 * decided under it, and a summary line:
 *   PROVEN public.deals
 *   LEAK public.notes
 *     SELECT read: with app.company_id unset, a row with company_id = '90001' is visible
 */
export function formatProof(result: ProofResult, paint: Paint = (_s, t) => t): string[] {
  const lines: string[] = [];
  for (const table of result.tables) {
    lines.push(`${paint(STYLE[table.verdict], table.verdict)} ${paint('bold', `${table.table.schema}.${table.table.name}`)}`);
    for (const line of openChecks(table)) lines.push(`  ${line}`);
  }
  const count = (v: Verdict): number => result.tables.filter((t) => t.verdict === v).length;
  const who = result.role === null ? 'no application role (PUBLIC policies only)' : `role ${result.role}`;
  lines.push(
    result.tables.length === 0
      ? `no tenant tables (tenant column ${result.tenantColumn})`
      : `${result.verdict}: ${result.tables.length} tenant table(s) for ${who}, ${result.setting} -> ${result.tenantColumn}: ${count('PROVEN')} proven, ${count('LEAK')} leak, ${count('UNVERIFIED')} unverified`,
  );
  return lines;
}
