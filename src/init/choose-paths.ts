import type pg from 'pg';
import { candidatePaths, checkTableConsistency, type TableConsistency } from '../audit/path-consistency.js';
import type { DbSnapshot } from '../introspect/snapshot.js';
import { type BackfillPath, isScoped, type Model, tableByKey, type TableModel } from '../manifest/model.js';
import { draftModel } from './draft-model.js';
import type { Proposal, ProposedHop } from './propose-manifest.js';
import { type Decision, type RenderOptions, tableKey } from './render-manifest.js';

/** How many hops of backfill lie between the table and a table that has the tenant column. */
function depth(model: Model, table: TableModel, seen: ReadonlySet<string> = new Set()): number {
  if (seen.has(table.key)) return 0;
  const next = new Set([...seen, table.key]);
  const ends = table.backfill.flatMap((path) => (path.length === 0 ? [] : [path[path.length - 1]?.table ?? '']));
  return ends.reduce((d, key) => (key === model.tenant.table ? d : Math.max(d, 1 + depth(model, tableByKey(model, key), next))), 0);
}

/** Whether filling `from` reads `to`, through any of its paths and theirs. */
function reads(model: Model, from: string, to: string, seen: Set<string> = new Set()): boolean {
  if (from === to) return true;
  if (seen.has(from) || from === model.tenant.table) return false;
  seen.add(from);
  return tableByKey(model, from).backfill.some((path) => path.some((hop) => reads(model, hop.table, to, seen)));
}

function withBackfill(model: Model, key: string, backfill: readonly BackfillPath[]): Model {
  return { ...model, tables: model.tables.map((t) => (t.key === key ? { ...t, backfill } : t)) };
}

const rejected = (r: TableConsistency): number => r.rejected.reduce((n, k) => n + k.count, 0);
const better = (a: TableConsistency, b: TableConsistency): boolean => rejected(a) < rejected(b) || (rejected(a) === rejected(b) && a.unresolved.count < b.unresolved.count);

function toHops(model: Model, path: BackfillPath): ProposedHop[] {
  return path.map((hop) => {
    const target = tableByKey(model, hop.table);
    return { column: hop.column, table: target.name, match: hop.match, matchIsKey: hop.match === target.primaryKey };
  });
}

/**
 * For every scoped table with rows to fill and more than one way to fill
 * them, the derivation the data supports best: each candidate path is
 * evaluated as if it were the backfill (references a composite key would
 * reject, then rows left without a tenant); a further path is added as
 * `first_of` when it fills rows the chosen ones leave empty without adding a
 * rejection. Tables are decided parents first, each against the choices made
 * for the tables it reads.
 */
export async function choosePaths(client: pg.ClientBase, snapshot: DbSnapshot, proposal: Proposal, base: Omit<RenderOptions, 'counts' | 'decisions'>): Promise<Map<string, Decision>> {
  const decisions = new Map<string, Decision>();
  let model = draftModel(proposal, { ...base, decisions });
  const order = model.tables
    .filter((t) => isScoped(t) && t.key !== model.tenant.table)
    .map((t) => ({ key: t.key, depth: depth(model, t) }))
    .sort((a, b) => a.depth - b.depth);
  for (const { key } of order) {
    const table = tableByKey(model, key);
    const candidates = candidatePaths(model, table).filter((c) => !c.path.some((hop) => reads(model, hop.table, key)));
    if (candidates.length < 2) continue;
    const scored: { path: BackfillPath; result: TableConsistency }[] = [];
    for (const candidate of candidates) {
      const probe = withBackfill(model, key, [candidate.path]);
      scored.push({ path: candidate.path, result: await checkTableConsistency(client, probe, snapshot, tableByKey(probe, key), 0) });
    }
    if ((scored[0]?.result.toFill ?? 0) === 0) continue;
    // Stable: among equals the proposal's order (its own path first) stands.
    const ranked = [...scored].sort((a, b) => (better(a.result, b.result) ? -1 : better(b.result, a.result) ? 1 : 0));
    const best = ranked[0];
    if (best === undefined) continue;
    let chosen: BackfillPath[] = [best.path];
    let result = best.result;
    for (const other of ranked.slice(1)) {
      if (result.unresolved.count === 0) break;
      const probe = withBackfill(model, key, [...chosen, other.path]);
      const combined = await checkTableConsistency(client, probe, snapshot, tableByKey(probe, key), 0);
      if (combined.unresolved.count < result.unresolved.count && rejected(combined) <= rejected(result)) {
        chosen = [...chosen, other.path];
        result = combined;
      }
    }
    decisions.set(tableKey(table.name), { paths: chosen.map((path) => toHops(model, path)), notes: [] });
    model = draftModel(proposal, { ...base, decisions });
  }
  return decisions;
}
