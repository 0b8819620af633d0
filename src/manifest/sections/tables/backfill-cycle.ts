import { isScoped, type TableModel } from '../../model.js';
import type { Reporter } from '../../report.js';

/** A cycle in the dependency graph, as the list of keys on it, or null. */
function findCycle(keys: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | null => {
    const s = state.get(key);
    if (s === 'done') return null;
    if (s === 'visiting') return stack.slice(stack.indexOf(key));
    state.set(key, 'visiting');
    stack.push(key);
    for (const next of [...(edges.get(key) ?? [])].sort()) {
      const found = visit(next);
      if (found !== null) return found;
    }
    stack.pop();
    state.set(key, 'done');
    return null;
  };
  for (const key of keys) {
    const found = visit(key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Backfill order: a table whose path ends at another scoped table depends on
 * that table being filled first. Reports a cycle.
 */
export function checkBackfillCycle(tables: readonly TableModel[], report: Reporter): void {
  const byKey = new Map(tables.map((t) => [t.key, t]));
  const edges = new Map<string, Set<string>>();
  for (const table of tables) {
    const targets = new Set<string>();
    for (const path of table.backfill) {
      const last = byKey.get(path[path.length - 1]?.table ?? '');
      if (last !== undefined && isScoped(last)) targets.add(last.key);
    }
    edges.set(table.key, targets);
  }
  const cycle = findCycle(tables.map((t) => t.key), edges);
  if (cycle !== null) {
    const first = cycle[0] ?? '';
    report.error(['tables', first, 'backfill'], 'backfill-cycle', `backfill paths form a cycle: ${[...cycle, first].join(' -> ')}`, { help: 'one table of the cycle must be filled from a table outside it (its owner, usually)' });
  }
}
