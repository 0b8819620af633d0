import { finding, type LintRule, tableObject } from '../rule.js';

/** Several permissive policies for one role and command are OR-ed: the loosest wins, and each is evaluated. */
export const banMultiplePermissive: LintRule = {
  id: 'ban-multiple-permissive',
  severity: 'warning',
  title: 'several permissive policies for the same role and command',
  fix: 'Merge them into one policy per role and command, so what a role may see is written in one place.',
  check(context) {
    const out = [];
    for (const table of context.tenantTables) {
      const seen = new Map<string, string[]>();
      for (const policy of table.policies.filter((p) => p.permissive)) {
        const commands = policy.command === 'ALL' ? ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] : [policy.command];
        for (const role of policy.roles) for (const command of commands) seen.set(`${role} ${command}`, [...(seen.get(`${role} ${command}`) ?? []), policy.name]);
      }
      for (const [key, names] of seen) {
        if (names.length > 1) out.push(finding(this, tableObject(table), `${table.schema}.${table.name}: ${names.join(', ')} are all permissive for ${key}; they are OR-ed`));
      }
    }
    return out;
  },
};
