import { checkRlsgenSchema } from '../../apply/check-rlsgen-schema.js';
import { finding, type LintRule } from '../rule.js';

/**
 * rlsgen apply runs the procedures of the rlsgen schema with the rights of
 * whoever applies (often a superuser): anything there that a weaker role owns
 * or may change, or whose body is not what the migrations create, is code
 * that role can make a stronger one run. The same check apply makes before
 * every run.
 */
export const requireTrustedRlsgenSchema: LintRule = {
  id: 'require-trusted-rlsgen-schema',
  severity: 'error',
  title: 'rlsgen schema object that apply would not trust',
  fix: "As a superuser, drop what rlsgen did not create and re-create rlsgen's objects from the migration files, owned by the tables' owner (or migration.owner); keep EXECUTE revoked from PUBLIC.",
  check(context) {
    const catalog = context.snapshot.rlsgen;
    if (catalog === undefined) return [];
    const owners = [...new Set(context.tenantTables.map((t) => t.owner))];
    const anchors = { namedOwner: context.model?.migration.owner ?? null, owners: owners.length > 0 ? owners : [context.snapshot.currentUser] };
    return checkRlsgenSchema(catalog, context.generated ?? null, anchors).map((p) => finding(this, p.object, `${p.object} (owner ${p.owner}): ${p.problems.join('; ')}`));
  },
};
