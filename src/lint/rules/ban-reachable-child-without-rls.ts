import { type DbSnapshot, findTableInfo, qualified, type QualifiedName, type TableInfo } from '../../introspect/snapshot.js';
import { finding, type LintRule, tableObject } from '../rule.js';
import { appHolds } from '../tenant-binding.js';

/** The nearest ancestor (parent, grandparent, ...) with row security on. */
function protectedAncestor(snapshot: DbSnapshot, start: QualifiedName | null): TableInfo | undefined {
  let name = start;
  for (let depth = 0; name !== null && depth < 32; depth++) {
    const parent = findTableInfo(snapshot, name);
    if (parent === undefined) return undefined;
    if (parent.rlsEnabled) return parent;
    name = parent.parent;
  }
  return undefined;
}

/**
 * Row security is per table: a query that names a partition or an
 * inheritance child uses the child's own, and privileges on the parent do
 * not reach it. A child with row security off, under an ancestor that has
 * it, leaks every row to whoever was granted the child itself. Without such
 * a grant it is only reachable through the parent (`require-child-policies`
 * still asks for the parent's policies on it, in case a grant comes later).
 */
export const banReachableChildWithoutRls: LintRule = {
  id: 'ban-reachable-child-without-rls',
  severity: 'error',
  title: 'partition or child granted to the application without row-level security',
  fix: "Enable and force row-level security on the child with its parent's policies, or revoke the direct grant so that it is only reached through the parent.",
  check(context) {
    const out = [];
    const ROW = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
    for (const child of context.snapshot.tables) {
      if (child.parent === null || child.rlsEnabled) continue;
      const ancestor = protectedAncestor(context.snapshot, child.parent);
      if (ancestor === undefined) continue;
      const grant = appHolds(context.snapshot, child, context.appRole, ROW);
      if (grant === undefined) continue;
      out.push(
        finding(
          this,
          tableObject(child),
          `${qualified(child)} is a ${child.isPartition ? 'partition' : 'child'} under ${qualified(ancestor)}, which has row-level security, but has none itself, and ${grant.grantee} holds ${grant.privileges.filter((p) => ROW.includes(p)).join(', ')} on it: a query on ${qualified(child)} reads every tenant's rows`,
        ),
      );
    }
    return out;
  },
};
