import { finding, type LintRule } from '../rule.js';

const ROW_ACCESS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

/** Default privileges that hand row access on every new table to the application role or PUBLIC: new tables arrive readable, before anyone adds policies. */
export const banDefaultPrivilegesGrant: LintRule = {
  id: 'ban-default-privileges-grant',
  severity: 'warning',
  title: 'default privileges grant row access on new tables',
  fix: 'ALTER DEFAULT PRIVILEGES ... REVOKE them; grant per table when the table gets its policies (rlsgen generate does).',
  check(context) {
    const out = [];
    for (const d of context.snapshot.defaultPrivileges) {
      if (d.objectType !== 'tables') continue;
      for (const grant of d.grants) {
        if (grant.grantee !== 'PUBLIC' && grant.grantee !== context.appRole) continue;
        const rows = grant.privileges.filter((p) => ROW_ACCESS.includes(p));
        if (rows.length === 0) continue;
        out.push(
          finding(this, `default privileges of ${d.owner}`, `tables ${d.owner} creates${d.schema === null ? '' : ` in ${d.schema}`} get ${rows.join(', ')} for ${grant.grantee} automatically, before they have policies`),
        );
      }
    }
    return out;
  },
};
