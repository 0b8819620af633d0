import { findLookupFunction } from '../../manifest/lookup-functions.js';
import { finding, type LintRule } from '../rule.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a function body names the table: qualified, or bare when its schema is on the function's search path. */
function mentions(source: string, schema: string, name: string, bareVisible: boolean): boolean {
  const part = (n: string): string => `(?:"${escape(n)}"|${escape(n)})`;
  if (new RegExp(`${part(schema)}\\s*\\.\\s*${part(name)}\\b`).test(source)) return true;
  return bareVisible && new RegExp(`(?:^|[^.\\w"])${part(name)}\\b`).test(source);
}

/**
 * A SECURITY DEFINER function runs with its owner's rights; if it reads
 * tenant tables and its owner bypasses row security, callers read every
 * tenant through it. Ordinary (invoker) functions and triggers are fine.
 */
export const banDefinerTenantAccess: LintRule = {
  id: 'ban-definer-tenant-access',
  severity: 'warning',
  title: 'SECURITY DEFINER function reads tenant tables',
  fix: 'Make it SECURITY INVOKER, or have it filter by the current tenant itself and be owned by a role subject to the policies.',
  check(context) {
    const out = [];
    for (const fn of context.snapshot.functions) {
      if (!fn.securityDefiner || fn.fromExtension || fn.schema === 'rlsgen') continue;
      // A lookup the manifest declares reads its table on purpose; rlsgen verify proves it narrow.
      if (context.model !== null && findLookupFunction(context.model, fn) !== undefined) continue;
      const visible = new Set(['public', ...(fn.searchPath ?? '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''))]);
      const reads = context.tenantTables.filter((t) => mentions(fn.source, t.schema, t.name, visible.has(t.schema)));
      if (reads.length === 0) continue;
      out.push(
        finding(this, `function ${fn.schema}.${fn.signature}`, `SECURITY DEFINER function ${fn.schema}.${fn.signature} (owner ${fn.owner}) reads ${reads.map((t) => `${t.schema}.${t.name}`).join(', ')} with its owner's rights`),
      );
    }
    return out;
  },
};
