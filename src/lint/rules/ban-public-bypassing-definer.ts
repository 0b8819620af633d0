import { bypassingRoles } from '../policy-analysis.js';
import { finding, type LintRule } from '../rule.js';

/**
 * A SECURITY DEFINER function runs as its owner. Owned by a superuser or a
 * BYPASSRLS role, no policy applies inside it; executable by PUBLIC (the
 * default for a new function), every role can call it, whatever it reads.
 */
export const banPublicBypassingDefiner: LintRule = {
  id: 'ban-public-bypassing-definer',
  severity: 'error',
  title: 'SECURITY DEFINER function owned by a role that bypasses row security, executable by PUBLIC',
  fix: 'REVOKE EXECUTE ON FUNCTION ... FROM PUBLIC and grant it to the roles that need it; or give it an owner that is subject to row security.',
  check(context) {
    const bypassing = bypassingRoles(context.snapshot);
    const out = [];
    for (const fn of context.snapshot.functions) {
      if (!fn.securityDefiner || fn.fromExtension || !bypassing.has(fn.owner)) continue;
      if (!fn.grants.some((g) => g.grantee === 'PUBLIC' && g.privileges.includes('EXECUTE'))) continue;
      out.push(
        finding(this, `function ${fn.schema}.${fn.signature}`, `${fn.schema}.${fn.signature} is SECURITY DEFINER, owned by ${fn.owner}, which bypasses row-level security, and PUBLIC can execute it: any role runs it with every tenant's rows in reach`),
      );
    }
    return out;
  },
};
