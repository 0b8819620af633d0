import { type DbSnapshot, type FunctionInfo, type PolicyInfo, type QualifiedName, roleClosure } from '../introspect/snapshot.js';
import type { LintContext } from './rule.js';

/** Roles that skip row security: superusers and BYPASSRLS roles. */
export function bypassingRoles(snapshot: DbSnapshot): Set<string> {
  return new Set(snapshot.roles.filter((r) => r.superuser || r.bypassRls).map((r) => r.name));
}

/** Whether the application role (or everyone) is subject to the policy. */
export function appliesToApp(policy: PolicyInfo, context: LintContext): boolean {
  if (policy.roles.includes('public')) return true;
  if (context.appRole === null) return false;
  const closure = roleClosure(context.snapshot, context.appRole);
  return policy.roles.some((r) => closure.has(r));
}

export function isTenantTable(context: LintContext, name: QualifiedName): boolean {
  return context.tenantTables.some((t) => t.schema === name.schema && t.name === name.name);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Positions where function `fn` is called in an expression printed by
 * pg_get_expr, which qualifies a name unless its schema is on the search
 * path (public, for rlsgen's connections).
 */
function callPositions(expression: string, fn: { schema: string; name: string }): number[] {
  const out: number[] = [];
  const name = escapeRegExp(fn.name);
  const pattern = new RegExp(`(?:^|[^A-Za-z0-9_$."])(?:("?)([A-Za-z0-9_$]+)\\1\\.)?"?${name}"?\\s*\\(`, 'g');
  for (let match = pattern.exec(expression); match !== null; match = pattern.exec(expression)) {
    const schema = match[2];
    if (schema === undefined ? fn.schema === 'public' : schema === fn.schema) out.push(match.index);
  }
  return out;
}

/** True when position `at` lies inside a `(SELECT ...)` sub-select: an InitPlan, evaluated once per statement. */
export function insideSubselect(expression: string, at: number): boolean {
  const opens: number[] = [];
  for (let i = 0; i < at && i < expression.length; i++) {
    if (expression[i] === '(') opens.push(i);
    else if (expression[i] === ')') opens.pop();
  }
  return opens.some((open) => /^\(\s*SELECT\b/i.test(expression.slice(open, open + 12)));
}

/** User-defined (not built-in, not extension) functions an expression calls. */
export function userFunctionsIn(expression: string, snapshot: DbSnapshot): { fn: FunctionInfo; wrapped: boolean }[] {
  const out: { fn: FunctionInfo; wrapped: boolean }[] = [];
  for (const fn of snapshot.functions) {
    if (fn.schema === 'pg_catalog' || fn.fromExtension) continue;
    const positions = callPositions(expression, fn);
    if (positions.length === 0) continue;
    out.push({ fn, wrapped: positions.every((p) => insideSubselect(expression, p)) });
  }
  return out;
}

/** Whether a function's body reads the tenant setting. */
export function readsSetting(source: string, setting: string): boolean {
  return source.includes('current_setting') && (source.includes(setting) || !/current_setting\s*\(\s*'/.test(source));
}

/** Both expressions of a policy that are present. */
export function expressions(policy: PolicyInfo): string[] {
  return [policy.using, policy.check].filter((e): e is string => e !== null);
}

/** Whether the expression is the literal `true`, which lets every row through. */
export function isTrue(expression: string | null): boolean {
  return expression !== null && /^\(*\s*true\s*\)*$/i.test(expression.trim());
}

/** The expression without parentheses that enclose all of it. */
function unwrap(expression: string): string {
  let text = expression.trim();
  while (text.startsWith('(') && closingParen(text, 0) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

/** Index of the parenthesis closing the one at `open`, skipping string literals; -1 if none. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      i = text.indexOf("'", i + 1);
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The operands of `op` (AND or OR) at the top level of an expression printed
 * by pg_get_expr, each without enclosing parentheses; nested ones of the same
 * operator are flattened. One operand when there is no such operator.
 */
export function topLevelOperands(expression: string, op: 'AND' | 'OR'): string[] {
  const text = unwrap(expression);
  const token = ` ${op} `;
  const operands: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.slice(i, i + token.length).toUpperCase() === token) {
      operands.push(text.slice(start, i));
      start = i + token.length;
      i += token.length - 1;
    }
  }
  operands.push(text.slice(start));
  if (operands.length === 1) return [text];
  return operands.flatMap((operand) => topLevelOperands(operand, op));
}
