import { createHash } from 'node:crypto';
import {
  type Model,
  type TableModel,
  type TableName,
  isScoped,
  qualifiedKey,
  tableByKey,
} from '../manifest/model.js';
import { citusSteps } from './plan-citus.js';
import { planLookups } from './plan-lookups.js';
import { objectName } from '../sql/quote.js';
import { planReach } from './plan-reach.js';
import { referenceGuardSteps, referenceGuardsOf } from './plan-reference-guards.js';
import {
  type ExemptTablePlan,
  NON_TRANSACTIONAL,
  type Plan,
  type PlannedForeignKey,
  type PartitionPlan,
  type PlannedPath,
  type PlannedStep,
  type PlanSettings,
  STEP_STAGE,
  type Step,
  type TablePlan,
} from './plan.js';

export type PlanResult =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Tables in an order where each comes after the scoped tables its backfill reads. */
export function backfillOrder(model: Model, tables: readonly TableModel[]): TableModel[] {
  const wanted = new Set(tables.map((t) => t.key));
  const done = new Set<string>();
  const out: TableModel[] = [];
  const visit = (table: TableModel): void => {
    if (done.has(table.key)) return;
    done.add(table.key);
    for (const path of table.backfill) {
      const last = path[path.length - 1];
      const target = last === undefined ? undefined : model.tables.find((t) => t.key === last.table);
      if (target !== undefined && isScoped(target)) visit(target);
    }
    if (wanted.has(table.key)) out.push(table);
  };
  for (const table of tables) visit(table);
  return out;
}

export function planSettings(model: Model): PlanSettings {
  return {
    tenantColumn: model.tenant.column,
    tenantType: model.tenant.type,
    tenantTable: model.tenant.tableName,
    tenantKey: model.tenant.key,
    tenantSetting: model.tenant.setting,
    userSetting: model.user.setting,
    userType: model.user.type,
    userTable: model.user.table === null ? null : { name: tableByKey(model, model.user.table).name, key: model.user.key },
    appRole: { name: model.roles.app.name, create: model.roles.app.create },
    crossTenantRole: model.roles.crossTenant,
    lockTimeout: model.migration.lockTimeout,
    statementTimeout: model.migration.statementTimeout,
    batchSize: model.migration.batchSize,
    // Absent from the state of a generation that predates the setting.
    batchPause: model.migration.batchPause ?? '0',
    owner: model.migration.owner ?? null,
    context: model.context,
  };
}

function fillFunctionNames(model: Model): Map<string, string> {
  // One trigger function per table in the rlsgen schema; names that collide
  // once joined with "_" get a hash of the real name.
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  const scoped = model.tables.filter((t) => isScoped(t) && !t.tenantTable);
  const base = (t: TableModel): string => objectName('fill', t.name.schema, t.name.name, model.tenant.column);
  for (const t of scoped) counts.set(base(t), (counts.get(base(t)) ?? 0) + 1);
  for (const t of scoped) {
    const b = base(t);
    const unique = (counts.get(b) ?? 0) === 1;
    const hash = createHash('sha256').update(qualifiedKey(t.name)).digest('hex').slice(0, 8);
    names.set(t.key, unique ? b : objectName('fill', t.name.schema, t.name.name, model.tenant.column, hash));
  }
  return names;
}

/**
 * The tables whose tenant index must be unique on (tenant, primary key): the
 * parents of composite foreign keys, and every table of a Citus cluster (the
 * index becomes the distributed table's primary key).
 */
function uniqueIndexTables(model: Model, built: ReadonlySet<string>): (table: TableModel) => boolean {
  if (model.target === 'citus') return () => true;
  const parents = new Set(model.tables.flatMap((t) => (isScoped(t) ? t.foreignKeys.filter((fk) => fk.composite).map((fk) => fk.table) : [])));
  return (table) => parents.has(table.key) || built.has(qualifiedKey(table.name));
}

/** The name of a tenant index: `<table>_<tenant>_<key>_key` when unique (PostgreSQL's name for such a constraint), `<table>_<tenant>_tenant_idx` when not. */
export function tenantIndexName(table: string, column: string, primaryKey: string, unique: boolean): string {
  return unique ? objectName(table, column, primaryKey, 'key') : objectName(table, column, 'tenant_idx');
}

/**
 * The scoped tables of a model, as the templates see them. `built`: the
 * tables (qualified keys) whose unique tenant index an earlier generation
 * built; it stays unique (and keeps its name) when nothing references the
 * table any more.
 */
export function planTables(model: Model, built: ReadonlySet<string> = new Set()): Map<string, TablePlan> {
  const fillNames = fillFunctionNames(model);
  const column = model.tenant.column;
  const needsUnique = uniqueIndexTables(model, built);
  const out = new Map<string, TablePlan>();
  for (const table of model.tables) {
    if (table.mode === 'exempt') continue;
    if (table.tenantTable) {
      out.set(qualifiedKey(table.name), rootPlan(model, table));
      continue;
    }
    const backfill: PlannedPath[] = table.backfill.map((hops) => {
      const planned = hops.map((hop) => {
        const target = tableByKey(model, hop.table);
        return { column: hop.column, table: target.name, match: hop.match, unique: hop.match === target.primaryKey };
      });
      return { hops: planned, tenantColumn: column };
    });
    // A state file written before ON UPDATE, deferral and MATCH were kept lacks them: NO ACTION, immediate, SIMPLE.
    const compositeForeignKeys: PlannedForeignKey[] = table.foreignKeys
      .filter((fk) => fk.composite)
      .map((fk) => ({
        name: objectName(table.name.name, fk.column, 'tenant_fkey'),
        column: fk.column,
        parent: tableByKey(model, fk.table).name,
        parentKey: fk.references,
        onDelete: fk.onDelete,
        onUpdate: fk.onUpdate ?? 'no_action',
        deferrable: fk.deferrable ?? false,
        initiallyDeferred: fk.initiallyDeferred ?? false,
        match: fk.match ?? 'simple',
        manifestPath: `tables.${table.key}.foreign_keys.${fk.column}`,
      }));
    const partitionKey = table.partitionKey ?? [];
    const unique = needsUnique(table);
    const partitions: PartitionPlan[] = (table.partitions ?? []).map((p) => ({
      name: p.name,
      parent: p.parent,
      partitioned: p.partitioned,
      tenantIndex: tenantIndexName(p.name.name, column, table.primaryKey, unique),
      tenantForeignKey: objectName(p.name.name, column, 'fkey'),
    }));
    out.set(qualifiedKey(table.name), {
      key: table.key,
      name: table.name,
      mode: table.mode,
      root: false,
      column,
      type: model.tenant.type,
      addColumn: table.existingColumn === null,
      primaryKey: table.primaryKey,
      tenantForeignKey: objectName(table.name.name, column, 'fkey'),
      tenantIndex: tenantIndexName(table.name.name, column, table.primaryKey, unique),
      tenantIndexUnique: unique,
      // Not `<table>_<column>_not_null`: PostgreSQL 18 gives that name to the column's NOT NULL constraint.
      notNullCheck: objectName(table.name.name, column, 'not_null_check'),
      fillTrigger: objectName('rlsgen_fill', column),
      fillFunction: { schema: 'rlsgen', name: fillNames.get(table.key) ?? objectName('fill', table.name.name) },
      backfill,
      unresolved: table.unresolved,
      legacyOwner: table.legacyOwner,
      compositeForeignKeys,
      referenceGuards: referenceGuardsOf(model, table),
      commands: table.commands,
      partitioning: table.partitioning ?? 'none',
      indexColumns: [...new Set([column, table.primaryKey, ...partitionKey])],
      partitions,
    });
  }
  return out;
}

/**
 * The tenant table in tenant mode: its key is the column the policies
 * compare with the tenant (`id = <current tenant>`), so each tenant sees its
 * own row. Nothing is added to it; it only gets the enforce stage.
 */
function rootPlan(model: Model, table: TableModel): TablePlan {
  const key = model.tenant.key;
  return {
    key: table.key,
    name: table.name,
    mode: 'tenant',
    root: true,
    column: key,
    type: model.tenant.type,
    addColumn: false,
    primaryKey: key,
    tenantForeignKey: objectName(table.name.name, key, 'fkey'),
    tenantIndex: objectName(table.name.name, 'pkey'),
    tenantIndexUnique: true,
    notNullCheck: objectName(table.name.name, key, 'not_null_check'),
    fillTrigger: objectName('rlsgen_fill', model.tenant.column),
    fillFunction: { schema: 'rlsgen', name: objectName('fill', table.name.name) },
    backfill: [],
    unresolved: 'fail',
    legacyOwner: null,
    compositeForeignKeys: [],
    referenceGuards: [],
    commands: table.commands,
    partitioning: 'none',
    indexColumns: [key],
    partitions: [],
  };
}

function planExempt(model: Model): ExemptTablePlan[] {
  return model.tables
    .filter((t) => t.mode === 'exempt')
    .map((t) => ({ key: t.key, name: t.name, reason: t.reason ?? 'exempt', commands: t.commands }));
}

/** A file-name-safe rendering of a table name. */
function slugOf(name: TableName): string {
  const raw = name.schema === 'public' ? name.name : `${name.schema}_${name.name}`;
  const slug = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const safe = slug === '' ? createHash('sha256').update(raw).digest('hex').slice(0, 8) : slug;
  return safe.length > 40 ? `${safe.slice(0, 31)}_${createHash('sha256').update(raw).digest('hex').slice(0, 8)}` : safe;
}

function slugFor(step: Step): string {
  const kind = step.kind.replaceAll('-', '_');
  switch (step.kind) {
    case 'bootstrap':
    case 'exempt-tables':
    case 'views':
    case 'function-privileges':
    case 'temporary-privileges':
    case 'lookups':
    case 'citus-prepare':
    case 'citus-distribute':
      return kind;
    case 'partition-index':
      return `${kind}_${slugOf(step.partition.name)}`;
    default:
      return `${kind}_${slugOf(step.table.name)}`;
  }
}

const needsNotNull = (t: TablePlan): boolean => t.mode === 'tenant' && t.unresolved === 'fail';

function samePolicies(a: TablePlan, b: TablePlan): boolean {
  return (
    a.mode === b.mode &&
    a.legacyOwner === b.legacyOwner &&
    a.commands.join(',') === b.commands.join(',') &&
    a.unresolved === b.unresolved
  );
}

function policySettingsChanged(a: PlanSettings, b: PlanSettings): boolean {
  const pick = (s: PlanSettings): string =>
    JSON.stringify([s.tenantSetting, s.userSetting, s.userType, s.userTable, s.appRole.name, s.crossTenantRole, s.context]);
  return pick(a) !== pick(b);
}

function sameExempt(a: readonly ExemptTablePlan[], b: readonly ExemptTablePlan[]): boolean {
  const key = (list: readonly ExemptTablePlan[]): string =>
    JSON.stringify(list.map((t) => [qualifiedKey(t.name), t.reason, t.commands]).sort());
  return key(a) === key(b);
}

const fkKey = (fk: PlannedForeignKey): string =>
  JSON.stringify([fk.name, fk.column, fk.parent, fk.parentKey, fk.onDelete, fk.onUpdate, fk.deferrable, fk.initiallyDeferred]);

/**
 * The tenant index of a table (unique or plain, TablePlan.tenantIndexUnique). A partitioned table
 * cannot build one CONCURRENTLY: each leaf partition builds its own
 * concurrently, then one catalog-only step creates the parent's index ON
 * ONLY and attaches them. An inheritance parent and each child get their
 * own (indexes are not inherited). Kept together so the phase can move as a
 * whole.
 */
export function tenantIndexSteps(table: TablePlan): Step[] {
  switch (table.partitioning) {
    case 'none':
      return [{ kind: 'tenant-index', table }];
    case 'inheritance':
      return [{ kind: 'tenant-index', table }, ...table.partitions.map((partition): Step => ({ kind: 'partition-index', table, partition }))];
    case 'partitioned':
      return [
        ...table.partitions.filter((p) => !p.partitioned).map((partition): Step => ({ kind: 'partition-index', table, partition })),
        { kind: 'attach-tenant-index', table },
      ];
    default: {
      const never: never = table.partitioning;
      throw new Error(`unknown partitioning ${String(never)}`);
    }
  }
}

/**
 * Partitions (or children) a kept table gained since the last generation:
 * what their siblings got. An inheritance child builds its index in the
 * prepare stage; a new partition of a partitioned table inherits it.
 */
function newPartitionSteps(old: TablePlan | undefined, table: TablePlan): { prepare: Step[]; enforce: Step[] } {
  const known = new Set((old?.partitions ?? []).map((p) => qualifiedKey(p.name)));
  const added = table.partitions.filter((p) => !known.has(qualifiedKey(p.name)));
  if (old === undefined || added.length === 0) return { prepare: [], enforce: [] };
  const prepare: Step[] = table.partitioning === 'inheritance' ? added.map((partition) => ({ kind: 'partition-index', table, partition })) : [];
  return { prepare, enforce: [{ kind: 'secure-partitions', table, partitions: added }] };
}

/**
 * Plans the migration from what was generated last (`previous`, null for the
 * first generation) to `next`. Pure: the same two models always give the same
 * plan. An empty plan means the manifest has nothing new to generate.
 */
export function planTenancy(previous: Model | null, next: Model, built: ReadonlySet<string> = new Set()): PlanResult {
  const settings = planSettings(next);
  const problems: string[] = [];
  if (previous !== null) {
    const p = previous.tenant;
    const n = next.tenant;
    if (p.column !== n.column) problems.push(`tenant.column changed from ${p.column} to ${n.column}`);
    if (p.type !== n.type) problems.push(`tenant.type changed from ${p.type} to ${n.type}`);
    if (qualifiedKey(p.tableName) !== qualifiedKey(n.tableName) || p.key !== n.key) {
      problems.push(`tenant.references changed from ${qualifiedKey(p.tableName)}(${p.key}) to ${qualifiedKey(n.tableName)}(${n.key})`);
    }
    if (previous.target !== next.target) problems.push(`target changed from ${previous.target} to ${next.target}`);
  }
  if (problems.length > 0) return { ok: false, problems };

  const previousSettings = previous === null ? null : planSettings(previous);
  const before = previous === null ? new Map<string, TablePlan>() : planTables(previous, built);
  const after = planTables(next, built);
  const steps: Step[] = [];
  const enforceSteps: Step[] = [];

  const onboard = [...after.values()].filter((t) => !before.has(qualifiedKey(t.name)));
  // The tenant table has no tenant column to add, fill or require.
  const columns = onboard.filter((t) => !t.root);
  const kept = [...after.values()].filter((t) => before.has(qualifiedKey(t.name)));
  const offboard = [...before.values()].filter((t) => !after.has(qualifiedKey(t.name)));

  const schemas = [...new Set([...after.values()].map((t) => t.name.schema))].sort();
  const previousSchemas = new Set([...before.values()].map((t) => t.name.schema));
  const rolesChanged =
    previousSettings !== null &&
    JSON.stringify([previousSettings.appRole, previousSettings.crossTenantRole]) !==
      JSON.stringify([settings.appRole, settings.crossTenantRole]);
  // A state written before batch_pause existed was bootstrapped with the
  // earlier backfill procedure, which new backfill files cannot call.
  const olderProcedure = previous !== null && (previous.migration as Partial<Model['migration']>).batchPause === undefined;
  if (previous === null || rolesChanged || olderProcedure || schemas.some((s) => !previousSchemas.has(s))) {
    steps.push({ kind: 'bootstrap', schemas });
  }

  // Prepare stage, phase by phase so every table is ready before the next phase reads it.
  // The column comes bare; it is filled while no index and no constraint
  // covers it, so the filling UPDATE is a non-key update: it may stay HOT, it
  // takes FOR NO KEY UPDATE row locks that do not conflict with the KEY SHARE
  // locks of the application's foreign-key checks, and no trigger checks a
  // foreign key row by row. Each backfill is followed by VACUUM (ANALYZE), as
  // after any mass update: the dead row versions go before the index build
  // and the validations scan the table, the planner learns the column, and
  // autovacuum does not pick the table just when the next steps need their
  // locks. The tenant index and the constraints follow, built
  // and validated set-based.
  for (const table of columns) steps.push({ kind: 'add-tenant-column', table });
  const toBackfill = new Set(onboard.filter((t) => t.backfill.length > 0).map((t) => t.key));
  for (const table of kept) {
    const old = before.get(qualifiedKey(table.name));
    if (old !== undefined && table.backfill.length > 0 && JSON.stringify(old.backfill) !== JSON.stringify(table.backfill)) {
      toBackfill.add(table.key);
    }
  }
  const ordered = backfillOrder(next, next.tables.filter((t) => toBackfill.has(t.key)));
  for (const model of ordered) {
    const table = after.get(qualifiedKey(model.name));
    if (table !== undefined) steps.push({ kind: 'backfill', table }, { kind: 'vacuum', table });
  }
  for (const table of columns) steps.push(...tenantIndexSteps(table));
  // A kept table that becomes the parent of a composite key needs the unique
  // index the key references; it leads with the tenant column, so it serves
  // what the plain tenant index served, which then goes (a table; a
  // partitioned or inheritance parent keeps it: its partitions' indexes
  // cannot be dropped concurrently one by one).
  const upgraded = kept.filter((t) => !t.root && t.tenantIndexUnique && before.get(qualifiedKey(t.name))?.tenantIndexUnique === false);
  // The first generation's preflight checked a partitioned table's partition
  // keys only if its index was unique: check them before building one now.
  for (const table of upgraded) {
    if (table.partitioning === 'partitioned') steps.push({ kind: 'check-partition-key', table });
    steps.push(...tenantIndexSteps(table));
    if (table.partitioning === 'none') steps.push({ kind: 'drop-plain-tenant-index', table });
  }
  // An upgraded table's new partitions got their unique index just above.
  for (const table of kept) if (!upgraded.includes(table)) steps.push(...newPartitionSteps(before.get(qualifiedKey(table.name)), table).prepare);
  const gainsNotNull = kept.filter((t) => {
    const old = before.get(qualifiedKey(t.name));
    return needsNotNull(t) && old !== undefined && !needsNotNull(old);
  });
  const constrained = columns.filter((t) => t.addColumn || needsNotNull(t));
  for (const table of constrained) steps.push({ kind: 'require-tenant', table, foreignKey: table.addColumn });
  for (const table of gainsNotNull) steps.push({ kind: 'require-tenant', table, foreignKey: false });
  for (const table of [...constrained, ...gainsNotNull]) steps.push({ kind: 'validate-tenant', table });
  for (const table of [...columns.filter(needsNotNull), ...gainsNotNull]) steps.push({ kind: 'set-not-null', table });

  // Enforce stage: references first (composite keys), then policies.
  const compositeAdds: { table: TablePlan; fks: PlannedForeignKey[] }[] = [];
  const compositeDrops: { table: TablePlan; fks: PlannedForeignKey[] }[] = [];
  for (const table of after.values()) {
    const old = before.get(qualifiedKey(table.name));
    const oldKeys = new Set((old?.compositeForeignKeys ?? []).map(fkKey));
    const newKeys = new Set(table.compositeForeignKeys.map(fkKey));
    const adds = table.compositeForeignKeys.filter((fk) => !oldKeys.has(fkKey(fk)));
    const drops = (old?.compositeForeignKeys ?? []).filter((fk) => !newKeys.has(fkKey(fk)));
    if (adds.length > 0) compositeAdds.push({ table, fks: adds });
    if (drops.length > 0 && old !== undefined) compositeDrops.push({ table: old, fks: drops });
  }
  for (const old of offboard) {
    if (old.compositeForeignKeys.length > 0) compositeDrops.push({ table: old, fks: [...old.compositeForeignKeys] });
  }
  for (const { table, fks } of compositeDrops) enforceSteps.push({ kind: 'drop-composite-foreign-keys', table, foreignKeys: fks });
  for (const { table, fks } of compositeAdds) enforceSteps.push({ kind: 'add-composite-foreign-keys', table, foreignKeys: fks });
  for (const { table, fks } of compositeAdds) enforceSteps.push({ kind: 'validate-composite-foreign-keys', table, foreignKeys: fks });
  for (const { table, fks } of compositeAdds) enforceSteps.push({ kind: 'drop-single-foreign-keys', table, foreignKeys: fks });
  enforceSteps.push(...referenceGuardSteps(before, after, offboard));

  for (const table of kept) {
    const old = before.get(qualifiedKey(table.name));
    if (old === undefined || previousSettings === null) continue;
    enforceSteps.push(...newPartitionSteps(old, table).enforce);
    if (needsNotNull(old) && !needsNotNull(table)) enforceSteps.push({ kind: 'drop-not-null', table });
    if (!samePolicies(old, table) || policySettingsChanged(previousSettings, settings)) {
      enforceSteps.push({ kind: 'replace-policies', previous: old, table, previousSettings });
    }
  }
  for (const table of onboard) enforceSteps.push({ kind: 'enable-policies', table });
  for (const old of offboard) {
    const stillDeclared = next.tables.find((t) => qualifiedKey(t.name) === qualifiedKey(old.name));
    enforceSteps.push({
      kind: 'remove-policies',
      table: old,
      previousSettings: previousSettings ?? settings,
      reason: stillDeclared === undefined ? 'removed from the manifest' : `now exempt: ${stillDeclared.reason ?? ''}`,
    });
  }
  // Previously exempt tables that are scoped now get their grants from enable-policies.
  const exemptBefore = previous === null ? [] : planExempt(previous).filter((t) => !after.has(qualifiedKey(t.name)));
  const exemptAfter = planExempt(next);
  if (previous === null ? exemptAfter.length > 0 : !sameExempt(exemptBefore, exemptAfter)) {
    enforceSteps.push({ kind: 'exempt-tables', tables: exemptAfter, previous: exemptBefore });
  }
  enforceSteps.push(...planReach(previous, next));
  const lookups = planLookups(previous, next);
  if (lookups !== null) enforceSteps.push(lookups);

  const distributeSteps = next.target === 'citus' ? citusSteps(previous, next, columns) : [];

  const planned: PlannedStep[] = [...steps, ...enforceSteps, ...distributeSteps].map((step) => ({
    stage: STEP_STAGE[step.kind],
    transactional: !NON_TRANSACTIONAL.has(step.kind),
    slug: slugFor(step),
    step,
  }));
  // A table no longer scoped keeps its index (nothing drops it): still recorded, should it come back.
  const uniqueTenantIndexes = [
    ...[...after.values()].filter((t) => !t.root && t.tenantIndexUnique).map((t) => qualifiedKey(t.name)),
    ...[...built].filter((key) => !after.has(key)),
  ];
  return { ok: true, plan: { settings, steps: planned, uniqueTenantIndexes } };
}

/**
 * Plans a generation whose enforce stage replaces the enforce stage
 * generated last, for databases where that stage never completed (it failed
 * and `rlsgen apply` took it back). Its prepare (and distribute) steps are
 * the usual ones, from `previous` (whose prepare stage every database has
 * applied, or will apply first); its enforce steps go from `enforced`, the
 * model whose enforce stage is in place (null: none), straight to `next`,
 * so none of the replaced files has to run. A NOT NULL the previous
 * generation's prepare stage set and `next` no longer wants is dropped too.
 */
export function planReplacingEnforce(previous: Model, enforced: Model | null, next: Model, built: ReadonlySet<string> = new Set()): PlanResult {
  const delta = planTenancy(previous, next, built);
  if (!delta.ok) return delta;
  const full = planTenancy(enforced, next, built);
  if (!full.ok) return full;
  const enforce = full.plan.steps.filter((s) => s.stage === 'enforce');
  const tableOf = (s: PlannedStep): string | null => ('table' in s.step ? qualifiedKey(s.step.table.name) : null);
  const dropsNotNull = delta.plan.steps.filter(
    (s) => s.step.kind === 'drop-not-null' && !enforce.some((e) => e.step.kind === 'drop-not-null' && tableOf(e) === tableOf(s)),
  );
  const steps = [
    ...delta.plan.steps.filter((s) => s.stage === 'prepare'),
    ...dropsNotNull,
    ...enforce,
    ...delta.plan.steps.filter((s) => s.stage === 'distribute'),
  ];
  return { ok: true, plan: { settings: delta.plan.settings, steps, uniqueTenantIndexes: delta.plan.uniqueTenantIndexes } };
}
