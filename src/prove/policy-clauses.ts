import type { PolicyInfo, TableInfo } from '../introspect/snapshot.js';
import type { Expr } from '../sql/expression.js';
import { policyTree } from '../lint/tenant-binding.js';
import type { Command } from './result.js';

export interface Clause {
  readonly policy: string;
  readonly expr: Expr;
}

/** The expressions PostgreSQL applies to one side of a command: permissive ones OR-ed, restrictive ones AND-ed. */
export interface Clauses {
  readonly permissive: readonly Clause[];
  readonly restrictive: readonly Clause[];
}

/** Parses each distinct expression text once. */
export class ExpressionCache {
  get(text: string): Expr {
    return policyTree(text);
  }
}

/** Whether the policy applies to a role that has the privileges of `roles` (PUBLIC included). */
export function appliesTo(policy: PolicyInfo, roles: ReadonlySet<string>): boolean {
  return policy.roles.some((r) => r === 'public' || roles.has(r));
}

/**
 * The clauses of `command` for a role: USING (the rows it may see or touch),
 * or WITH CHECK (the rows it may write), which for ALL and UPDATE policies
 * without one is their USING, as in PostgreSQL
 * (https://www.postgresql.org/docs/current/sql-createpolicy.html). A policy
 * without the expression adds nothing; with no permissive clause at all the
 * command reaches no row. Policies in name order, as PostgreSQL reads them.
 */
export function clausesFor(table: TableInfo, roles: ReadonlySet<string>, command: Command, side: 'using' | 'check', cache: ExpressionCache): Clauses {
  const permissive: Clause[] = [];
  const restrictive: Clause[] = [];
  const policies = [...table.policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const policy of policies) {
    if ((policy.command !== command && policy.command !== 'ALL') || !appliesTo(policy, roles)) continue;
    const text = side === 'using' ? policy.using : command === 'INSERT' && policy.command === 'INSERT' ? policy.check : (policy.check ?? policy.using);
    if (text === null) continue;
    (policy.permissive ? permissive : restrictive).push({ policy: policy.name, expr: cache.get(text) });
  }
  return { permissive, restrictive };
}

export function policyNames(table: TableInfo, roles: ReadonlySet<string>, command: Command): string[] {
  return table.policies.filter((p) => (p.command === command || p.command === 'ALL') && appliesTo(p, roles)).map((p) => p.name).sort();
}
