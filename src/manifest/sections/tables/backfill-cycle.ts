import { isScoped, type TableModel } from '../../model.js';
import type { Reporter } from '../../report.js';

/**
 * A cycle in the dependency graph, as the list of keys on it, or null. A
 * depth-first search with its own stack: a chain of 100,000 tables must not
 * exhaust the call stack.
 */
function findCycle(keys: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of keys) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const pending: { key: string; next: string[] }[] = [];
    const enter = (key: string): void => {
      state.set(key, 'visiting');
      path.push(key);
      pending.push({ key, next: [...(edges.get(key) ?? [])].sort().reverse() });
    };
    enter(root);
    while (pending.length > 0) {
      const top = pending[pending.length - 1] as { key: string; next: string[] };
      const next = top.next.pop();
      if (next === undefined) {
        state.set(top.key, 'done');
        path.pop();
        pending.pop();
        continue;
      }
      const s = state.get(next);
      if (s === 'visiting') return path.slice(path.indexOf(next));
      if (s === undefined) enter(next);
    }
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
