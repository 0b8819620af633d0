import { findTableInfo } from '../../introspect/snapshot.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../../sql/quote.js';
import { fail, pass, skipped } from '../check.js';
import type { TenantTableProbe } from '../probe.js';
import type { CheckResult } from '../result.js';
import { settableColumn } from '../settable-column.js';
import { writeCheck } from '../write-check.js';

/**
 * The tenant table in tenant mode: A sees exactly its own row (none without
 * a tenant), cannot change or delete B's row, cannot insert a row keyed B,
 * and the cross-tenant role sees every row.
 */
export const tenantRow: TenantTableProbe = {
  id: 'tenant-row',
  scope: 'tenant-table',
  proves: "each tenant sees only its own row of the tenant table and cannot change another's",
  async run(s, table, [a, b]) {
    const name = quoteQualified(table.name.schema, table.name.name);
    const key = quoteIdent(s.model.tenant.key);
    const visible = `SELECT count(*) AS n FROM ${name} WHERE ${key}::text <> ${quoteLiteral(a)}`;
    const out: CheckResult[] = [];
    const own = await s.asApp(a, () => s.count(`SELECT count(*) AS n FROM ${name} WHERE ${key}::text = ${quoteLiteral(a)}`));
    const others = await s.asApp(a, () => s.count(visible));
    const unset = await s.asApp(undefined, () => s.count(`SELECT count(*) AS n FROM ${name}`));
    if (!own.ok || own.value !== 1) out.push(fail(this.id, `tenant ${a} sees ${own.ok ? own.value : own.message} of its own row`));
    else if (!others.ok || others.value !== 0) out.push(fail(this.id, `tenant ${a} sees ${others.ok ? others.value : others.message} rows of other tenants`, s.reproduce(a, visible)));
    else if (!unset.ok || unset.value !== 0) out.push(fail(this.id, `with the variable unset ${unset.ok ? unset.value : unset.message} rows are visible`));
    else out.push(pass(this.id, `tenant ${a} sees its own row only; none with the variable unset`));
    const info = findTableInfo(s.snapshot, table.name);
    const settable = quoteIdent(await settableColumn(s.client, name, s.actingRole(s.app), s.model.tenant.key, s.model.tenant.key));
    const update = `UPDATE ${name} SET ${settable} = ${settable} WHERE ${key}::text = ${quoteLiteral(b)}`;
    out.push(writeCheck(this.id, await s.asApp(a, () => s.affected(update)), `${b} updated`, s.reproduce(a, update)));
    const remove = `DELETE FROM ${name} WHERE ${key}::text = ${quoteLiteral(b)}`;
    out.push(writeCheck(this.id, await s.asApp(a, () => s.affected(remove)), `${b} deleted`, s.reproduce(a, remove)));
    const row = info === undefined ? null : await s.rowOf(name, info, b, s.model.tenant.key);
    if (info !== undefined && row !== null) {
      const insert = await s.asApp(a, () => s.client.query(s.insertValues(name, info, row)));
      out.push(insert.ok || insert.code !== '42501' ? fail(this.id, insert.ok ? `inserted a row keyed ${b}` : `rejected for another reason (${insert.code} ${insert.message}): a duplicate-key error reveals that ${b} exists`) : pass(this.id, `a row keyed ${b} is rejected: ${insert.message}`));
    }
    const cross = s.model.roles.crossTenant;
    const refused = cross === null ? null : s.unavailable(cross.name);
    if (cross !== null && refused !== null) out.push(skipped(this.id, refused));
    else if (cross !== null) {
      const total = await s.count(`SELECT count(*) AS n FROM ${name}`);
      const read = await s.as(cross.name, undefined, () => s.count(`SELECT count(*) AS n FROM ${name}`));
      out.push(read.ok && read.value === total ? pass(this.id, `${cross.name} reads all ${total} rows`) : fail(this.id, `${cross.name} reads ${read.ok ? read.value : read.message} of ${total} rows`));
    }
    return out;
  },
};
