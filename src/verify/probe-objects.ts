import { roleReach } from '../introspect/role-reach.js';
import { TenantData } from '../introspect/tenant-data.js';
import { ObjectUnderProof } from './object-under-proof.js';
import type { ProbeSession } from './probe-session.js';
import { OBJECT_PROBES } from './registry.js';
import type { CheckResult, ObjectVerdict } from './result.js';

/** What holds tenant rows, by the manifest: its tenant and shared tables, the tenant column, the tenant table. */
export function tenantDataOf(session: ProbeSession): TenantData {
  const model = session.model;
  return new TenantData(session.snapshot, {
    tenantColumn: model.tenant.column,
    tenantTable: model.tenant.tableName,
    scoped: model.tables.filter((t) => t.mode !== 'exempt').map((t) => t.name),
  });
}

/**
 * Every object the application role can use besides the scoped tables (its
 * own grants, PUBLIC's, those of the roles it is a member of), each with the
 * results of the object probes of its kind, in label order.
 */
export async function probeObjects(session: ProbeSession, a: string): Promise<ObjectVerdict[]> {
  const data = tenantDataOf(session);
  const reached = roleReach(session.snapshot, session.app)
    .filter((o) => !(o.kind === 'table' && data.isScoped(o.table)))
    .sort((x, y) => x.label.localeCompare(y.label));
  const out: ObjectVerdict[] = [];
  for (const object of reached) {
    const subject = new ObjectUnderProof(session, object, data, a);
    const checks: CheckResult[] = [];
    for (const probe of OBJECT_PROBES.filter((p) => p.kinds.includes(object.kind))) {
      const result = await probe.run(subject);
      if (result !== null) checks.push(result);
    }
    out.push({ object: object.label, kind: object.kind, privileges: object.privileges, via: object.via, checks });
  }
  return out;
}
