import type pg from 'pg';
import { qualified } from '../introspect/snapshot.js';
import { quoteIdent, quoteQualified } from '../sql/quote.js';
import type { Proposal, ProposedHop, ProposedTable } from './propose-manifest.js';

interface Coverage {
  readonly hop: ProposedHop;
  /** Distinct non-NULL values of the column. */
  readonly values: number;
  /** Of those, values found in the matched column. */
  readonly found: number;
  /** Of those, values the matched table holds for more than one tenant (their rows resolve to none). */
  readonly shared: number;
}

async function coverageOf(client: pg.ClientBase, table: ProposedTable, hop: ProposedHop, tenantColumn: string): Promise<Coverage> {
  const col = quoteIdent(hop.column);
  const match = quoteIdent(hop.match);
  const target = quoteQualified(hop.table.schema, hop.table.name);
  const { rows } = await client.query<{ values: string; found: string; shared: string }>(
    `SELECT count(*) AS values,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${target} AS u WHERE u.${match} = v.x)) AS found,
            count(*) FILTER (WHERE (SELECT count(DISTINCT u.${quoteIdent(tenantColumn)}) FROM ${target} AS u WHERE u.${match} = v.x) > 1) AS shared
       FROM (SELECT DISTINCT ${col} AS x FROM ${quoteQualified(table.name.schema, table.name.name)} WHERE ${col} IS NOT NULL) AS v`,
  );
  return { hop, values: Number(rows[0]?.values ?? 0), found: Number(rows[0]?.found ?? 0), shared: Number(rows[0]?.shared ?? 0) };
}

/**
 * Tables with no foreign-key path whose column matches a unique column of a
 * table with the tenant column (same name and type) become tenant tables
 * filled through that match when the data confirms it: most of the column's
 * distinct values are found there (values found nowhere, such as a log
 * written before its customer row, leave their rows without a tenant, and the
 * comment says how many). The best-covered match wins.
 */
export async function confirmColumnMatches(client: pg.ClientBase, proposal: Proposal): Promise<Proposal> {
  const tables: ProposedTable[] = [];
  for (const table of proposal.tables) {
    if (table.mode !== 'exempt' || table.path !== null || table.columnMatches.length === 0 || table.primaryKey === null) {
      tables.push(table);
      continue;
    }
    const coverage: Coverage[] = [];
    for (const hop of table.columnMatches) coverage.push(await coverageOf(client, table, hop, proposal.tenantColumn));
    const best = coverage.filter((c) => c.values > 0 && c.found * 2 >= c.values).sort((a, b) => b.found / b.values - a.found / a.values)[0];
    if (best === undefined) {
      tables.push(table);
      continue;
    }
    const target = `${qualified(best.hop.table)}.${best.hop.match}`;
    const parts = [`${best.found} of ${best.values} distinct ${best.hop.column} value(s) found in ${target}`];
    if (best.shared > 0) parts.push(`${best.shared} held by several tenants there (rows with it resolve to none)`);
    tables.push({
      ...table,
      mode: 'tenant',
      path: [best.hop],
      alternatives: [],
      reason: `no ${proposal.tenantColumn} and no foreign key; ${best.hop.column} matches the unique ${target} (same name and type): ${parts.join('; ')}`,
    });
  }
  return { ...proposal, tables };
}
