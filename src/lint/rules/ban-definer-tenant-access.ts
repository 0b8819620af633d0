import { findLookupFunction } from '../../manifest/lookup-functions.js';
import { objectLabel } from '../../sql/object-label.js';
import { appCanUse, finding, type LintRule } from '../rule.js';

/**
 * A SECURITY DEFINER function runs with its owner's rights; if it reads
 * tenant tables and its owner bypasses row security, callers read every
 * tenant through it. Every new function is executable by PUBLIC. Ordinary
 * (invoker) functions and triggers are fine, and so is a definer function
 * the application role cannot execute.
 */
export const banDefinerTenantAccess: LintRule = {
  id: 'ban-definer-tenant-access',
  severity: 'error',
  title: 'SECURITY DEFINER function reads tenant tables and the application role can execute it',
  fix: 'Make it SECURITY INVOKER, or REVOKE EXECUTE from PUBLIC and the application role (manifest `functions:`), or have it filter by the current tenant and be owned by a role subject to the policies.',
  check(context) {
    const out = [];
    for (const fn of context.snapshot.functions) {
      if (!fn.securityDefiner || fn.fromExtension || fn.schema === 'rlsgen') continue;
      // A lookup the manifest declares reads its table on purpose; rlsgen verify proves it narrow.
      if (context.model !== null && findLookupFunction(context.model, fn) !== undefined) continue;
      const reads = context.tenantData.functionReads(fn);
      if (reads.length === 0) continue;
      const label = objectLabel('function', fn.schema, fn.name, fn.argumentTypes);
      const reach = appCanUse(context, label);
      if (reach === undefined) continue;
      const who = reach === null ? '' : `; ${context.appRole} can execute it (through ${reach.via.join(', ')})`;
      out.push(finding(this, label, `SECURITY DEFINER function ${fn.schema}.${fn.signature} (owner ${fn.owner}) reads ${reads.map((t) => `${t.schema}.${t.name}`).join(', ')} with its owner's rights${who}`));
    }
    return out;
  },
};
