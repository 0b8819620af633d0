import { predefinedAmong } from '../../introspect/predefined-roles.js';
import { roleClosure } from '../../introspect/snapshot.js';
import { finding, type LintRule } from '../rule.js';

/**
 * The application role is a member (directly or through others) of a
 * predefined role that reaches data no grant of the manifest gave it:
 * pg_read_all_data and the like, or a managed platform's administrator role.
 */
export const banAppRolePredefined: LintRule = {
  id: 'ban-app-role-predefined',
  severity: 'error',
  title: 'application role is a member of a predefined role that reaches past its grants',
  fix: 'REVOKE the membership: give the application role the privileges its manifest lists, and audits or monitoring a role of their own.',
  check(context) {
    if (context.appRole === null) return [];
    const closure = roleClosure(context.snapshot, context.appRole);
    return predefinedAmong(closure).map((r) =>
      finding(this, `role ${context.appRole}`, `${context.appRole} is a member of ${r.name}${context.snapshot.roles.find((x) => x.name === context.appRole)?.memberOf.includes(r.name) === true ? '' : ' (through another role)'}: ${r.reach}`),
    );
  },
};
