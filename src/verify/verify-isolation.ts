import type pg from 'pg';
import { introspectDatabase } from '../introspect/introspect-database.js';
import { findTableInfo, type TableInfo } from '../introspect/snapshot.js';
import { lookupFunctions } from '../manifest/lookup-functions.js';
import { isTenantRoot, isTenantScoped, type Model, type TableModel } from '../manifest/model.js';
import { fail } from './check.js';
import { objectLabel, roleLabel } from '../sql/object-label.js';
import { CheckAcknowledger } from './acknowledge-checks.js';
import { checkProbeRoles } from './check-probe-roles.js';
import { checkOwnerAccess, openProofAccess, readConnectingRole } from './proof-access.js';
import { probeObjects } from './probe-objects.js';
import { ProbeSession } from './probe-session.js';
import { proofTenants } from './proof-tenants.js';
import { LOOKUP_PROBES, ROLE_PROBES, TABLE_PROBES, TENANT_TABLE_PROBES } from './registry.js';
import type { CheckResult, LookupVerdict, TableVerdict, VerifyResult } from './result.js';
import { seedProofRows } from './seed-proof-rows.js';
import { RowSeeder } from './seed-rows.js';
import { signerFor } from './signer.js';
import { TableUnderProof } from './table-under-proof.js';

export { VerifyPreconditionError } from './signer.js';

export interface VerifyOptions {
  readonly model: Model;
  /**
   * Logins to act as instead of the roles themselves (role -> login member of
   * it), as a deployed application connects. Needed on Citus, which opens
   * worker connections as the current user.
   */
  readonly probeRoles?: Readonly<Record<string, string>>;
  /**
   * A superuser connection, or one as the owner of the scoped tables that may
   * grant itself the application role (CREATEROLE, or ADMIN OPTION on it):
   * the managed platforms' administrator (src/verify/proof-access.ts).
   */
  readonly client: pg.ClientBase;
}

type ScopedTable = { readonly table: TableModel; readonly info: TableInfo };

/**
 * Every table probe on every scoped table: first the probes that must run
 * before anything sets the tenant variable on the connection, then the
 * others, table by table; each table's checks in registry order.
 */
async function probeTables(session: ProbeSession, tables: ReadonlyMap<string, ScopedTable>, tenants: readonly [string, string]): Promise<Map<string, CheckResult[]>> {
  const subjects = new Map([...tables].map(([key, { table, info }]) => [key, new TableUnderProof(session, table, info, tenants[0], tenants[1])]));
  const early = new Map<string, CheckResult[]>();
  for (const [key, subject] of subjects) {
    for (const probe of TABLE_PROBES.filter((p) => p.firstOnConnection === true)) early.set(`${key}\u0000${probe.id}`, await probe.run(subject));
  }
  const out = new Map<string, CheckResult[]>();
  for (const [key, subject] of subjects) {
    const checks: CheckResult[] = [];
    for (const probe of TABLE_PROBES) checks.push(...(early.get(`${key}\u0000${probe.id}`) ?? (await probe.run(subject))));
    out.set(key, checks);
  }
  return out;
}

/** Every lookup probe on each declared lookup: accepted exposures, proven narrow. */
async function probeLookups(session: ProbeSession): Promise<LookupVerdict[]> {
  const out: LookupVerdict[] = [];
  for (const lookup of lookupFunctions(session.model)) {
    const found: CheckResult[] = [];
    for (const probe of LOOKUP_PROBES) found.push(...(await probe.run(session, lookup)));
    out.push({ lookup: lookup.lookup, exposes: `${lookup.table.schema}.${lookup.table.name} by (${lookup.key.join(', ')}) -> ${lookup.returns.join(', ')}`, checks: found });
  }
  return out;
}

/**
 * `rlsgen verify`: proves on a database with the policies applied that no
 * tenant can read or change another tenant's rows, for every table of the
 * manifest, with the probes of src/verify/registry.ts. Leaves the database as
 * it found it (one transaction, rolled back: the rows it creates, and on a
 * connection that is not a superuser the memberships it takes and the FORCE
 * it lifts, are undone, also when the connection is lost mid-run).
 */
export async function verifyIsolation(options: VerifyOptions): Promise<VerifyResult> {
  const { client, model } = options;
  const connecting = await readConnectingRole(client);
  const snapshot = await introspectDatabase(client);
  const probeRoles = options.probeRoles ?? {};
  await checkProbeRoles(client, model, snapshot, probeRoles);
  checkOwnerAccess(model, snapshot, connecting);
  const sign = await signerFor(client, model);
  // On Citus (read from the database, not the manifest's target) the proof
  // cannot be one transaction: rows it needs are committed first and deleted
  // at the end, and each probe is a transaction of its own.
  const isolated = snapshot.citus !== null;
  if (!isolated) await client.query('BEGIN');
  const seeder = new RowSeeder(client, snapshot, model.tenant.column, model.tenant.tableName, model.tenant.key);
  try {
    const access = await openProofAccess(client, model, snapshot, connecting, probeRoles);
    const scoped = new Map<string, ScopedTable>();
    for (const table of model.tables.filter(isTenantScoped)) {
      const info = findTableInfo(snapshot, table.name);
      if (info !== undefined) scoped.set(table.key, { table, info });
    }
    const proof = await proofTenants(client, model, snapshot, seeder, [...scoped.values()].map((s) => s.info));
    const tenants = proof.tenants;
    const session = new ProbeSession(client, model, snapshot, sign, probeRoles, isolated, proof, access);
    const seedProblems = await seedProofRows(client, model, seeder, scoped, tenants, isolated);
    const checks = await probeTables(session, scoped, tenants);
    for (const root of model.tables.filter(isTenantRoot)) {
      const found: CheckResult[] = [];
      for (const probe of TENANT_TABLE_PROBES) found.push(...(await probe.run(session, root, tenants)));
      checks.set(root.key, found);
    }
    const acknowledger = new CheckAcknowledger(model.acknowledgements);
    const verdicts: TableVerdict[] = model.tables.map((table) => {
      const tenantTable = isTenantRoot(table);
      if (table.mode === 'exempt') return { table: table.key, mode: 'exempt', tenantTable, reason: table.reason, checks: [], seeded: 0 };
      const seeded = seeder.created.get(`${table.name.schema}.${table.name.name}`) ?? 0;
      const found = checks.get(table.key);
      if (found === undefined) {
        return { table: table.key, mode: table.mode, tenantTable, reason: null, seeded, checks: [fail('read-own', `table ${table.name.schema}.${table.name.name} does not exist in the database`)] };
      }
      const problem = seedProblems.get(table.key);
      const all = problem === undefined ? found : [...found, fail('read-own', `isolation not proven: ${problem}`)];
      return { table: table.key, mode: table.mode, tenantTable, reason: null, seeded, checks: acknowledger.apply(objectLabel('table', table.name.schema, table.name.name), all) };
    });
    const lookups = await probeLookups(session);
    const roleChecks: CheckResult[] = [];
    for (const probe of ROLE_PROBES) roleChecks.push(...(await probe.run(session)));
    const acknowledgedRoles = acknowledger.apply(roleLabel(model.roles.app.name), roleChecks);
    const objects = (await probeObjects(session, tenants[0])).map((o) => ({ ...o, checks: acknowledger.apply(o.object, o.checks) }));
    const checked = [...acknowledgedRoles, ...verdicts.flatMap((v) => v.checks), ...lookups.flatMap((l) => l.checks), ...objects.flatMap((o) => o.checks)];
    return {
      ok: checked.every((c) => c.status !== 'fail' && c.status !== 'skipped'),
      tenants,
      appRole: model.roles.app.name,
      roleChecks: acknowledgedRoles,
      tables: verdicts,
      lookups,
      objects,
      acknowledgements: acknowledger.uses(),
      serverVersion: connecting.version,
      connectedAs: { role: connecting.name, superuser: connecting.superuser, actingBy: access.mode === 'set-role' ? 'SET ROLE' : 'SET SESSION AUTHORIZATION' },
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.query('RESET ROLE').catch(() => undefined);
    await client.query('RESET SESSION AUTHORIZATION').catch(() => undefined);
    // On Citus the seeded rows were committed: they are removed as the connecting superuser (Citus needs one, see checkOwnerAccess).
    if (isolated) await seeder.removeCreated();
  }
}
