import { roleClosure } from '../../introspect/snapshot.js';
import { finding, type LintRule, tableObject } from '../rule.js';

/** The application role owns a tenant table (or belongs to its owner): it can drop the policies or disable RLS. */
export const banAppRoleOwner: LintRule = {
  id: 'ban-app-role-owner',
  severity: 'error',
  title: 'application role owns a tenant table',
  fix: 'ALTER TABLE ... OWNER TO a migration role the application cannot use, and revoke that role from the application.',
  check(context) {
    if (context.appRole === null) return [];
    const closure = roleClosure(context.snapshot, context.appRole);
    return context.tenantTables
      .filter((t) => closure.has(t.owner))
      .map((t) =>
        finding(
          this,
          tableObject(t),
          `${t.schema}.${t.name} is owned by ${t.owner}${t.owner === context.appRole ? '' : `, a role ${context.appRole} belongs to`}: the application can ALTER TABLE ... DISABLE ROW LEVEL SECURITY or drop the policies`,
        ),
      );
  },
};
