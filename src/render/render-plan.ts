import type { TableName } from '../manifest/model.js';
import type { ExemptTablePlan, PartitionPlan, Plan, PlannedForeignKey, PlannedGuard, PlanSettings, Stage, Step, StepKind, TablePlan } from '../plan/plan.js';
import { NON_TRANSACTIONAL_DOWN } from '../plan/plan.js';
import { tenantIndexName } from '../plan/plan-tenancy.js';
import { durationInterval } from '../sql/interval.js';
import { objectName, quoteIdent, quoteQualified } from '../sql/quote.js';
import { backfillStatement } from './backfill-statement.js';
import { ACTION_CODE, describeBehaviour, foreignKeyBehaviour, needsColumnList } from './foreign-key-sql.js';
import { lookupsContext } from './lookup-context.js';
import { functionContext, temporaryContext, viewContext } from './reach-context.js';
import { createPolicy, currentTenant, policiesFor, settingValue, tenantResolver } from './sql-fragments.js';
import { SqlText } from './sql-text.js';
import type { TemplateEnv } from './template-env.js';

/** One numbered migration and its rollback, as written to `generated-sql/`. */
export interface MigrationFile {
  readonly id: number;
  /** `0007_backfill_calls.sql` */
  readonly fileName: string;
  /** `down/0007_backfill_calls.down.sql` */
  readonly downFileName: string;
  readonly stage: Stage;
  readonly step: StepKind;
  readonly transactional: boolean;
  readonly up: string;
  readonly down: string;
}

/** postgres-migrations runs a file outside a transaction when this text appears anywhere in it. */
export const DISABLE_TRANSACTION_MARKER = '-- postgres-migrations disable-transaction';

/** First line of every generated file: what `rlsgen apply` needs to know about it. */
export const META_PREFIX = '-- rlsgen: ';

export interface FileMeta {
  readonly step: StepKind;
  readonly stage: Stage;
  readonly table?: string;
  /** Index built CONCURRENTLY by the file: [schema, name]. */
  readonly index?: readonly [string, string];
  /** The bootstrap's: the role that owns the rlsgen schema and its objects (manifest `migration.owner`). */
  readonly owner?: string;
  /**
   * Files of an enforce stage that never completed, which this file's
   * generation replaces (`rlsgen generate --replace-enforce`): apply skips
   * them where they are pending, and refuses where they are applied.
   */
  readonly supersedes?: readonly string[];
}

const display = (name: TableName): string => quoteQualified(name.schema, name.name);
const regclass = (name: TableName): SqlText => SqlText.literal(quoteQualified(name.schema, name.name));

const COMMAND_SQL = { select: 'SELECT', insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const;

function settingsContext(s: PlanSettings): object {
  const cross = s.crossTenantRole;
  return {
    appRole: SqlText.ident(s.appRole.name),
    appRoleLiteral: SqlText.literal(s.appRole.name),
    appRoleDisplay: SqlText.comment(s.appRole.name),
    createAppRole: s.appRole.create,
    crossRole:
      cross === null
        ? null
        : {
            name: SqlText.ident(cross.name),
            nameLiteral: SqlText.literal(cross.name),
            display: SqlText.comment(cross.name),
            create: cross.create,
            write: cross.write,
          },
    owner: s.owner === null ? null : SqlText.ident(s.owner),
    ownerDisplay: SqlText.comment(s.owner ?? ''),
    ownerLiteral: SqlText.literal(s.owner ?? ''),
    lockTimeout: SqlText.literal(s.lockTimeout),
    statementTimeout: SqlText.literal(s.statementTimeout),
    batchSize: s.batchSize,
    // The manifest's schema admits durations only.
    batchPause: SqlText.literal(durationInterval(s.batchPause) ?? '0'),
    tenantColumn: SqlText.ident(s.tenantColumn),
    tenantColumnDisplay: SqlText.comment(s.tenantColumn),
    tenantType: SqlText.sql(s.tenantType),
    tenantTable: SqlText.qualified(s.tenantTable),
    tenantTableDisplay: SqlText.comment(display(s.tenantTable)),
    tenantKey: SqlText.ident(s.tenantKey),
    tenantSetting: SqlText.literal(s.tenantSetting),
    tenantSettingDisplay: SqlText.comment(s.tenantSetting),
    userSettingDisplay: SqlText.comment(s.userSetting),
    tenantValue: SqlText.sql(currentTenant(s)),
    settingValue: SqlText.sql(settingValue(s.tenantSetting, s.tenantType)),
    signed: s.context === 'signed',
    verifyFunction: SqlText.qualified({ schema: 'rlsgen', name: `verified_tenant_${s.tenantType}` }),
    verifyFunctionDisplay: SqlText.comment(`rlsgen.verified_tenant_${s.tenantType}`),
    userType: SqlText.sql(s.userType),
    userSetting: SqlText.literal(s.userSetting),
    verifyUserFunction: SqlText.qualified({ schema: 'rlsgen', name: `verified_user_${s.userType}` }),
    verifyUserFunctionDisplay: SqlText.comment(`rlsgen.verified_user_${s.userType}`),
    userTableDisplay: s.userTable === null ? null : SqlText.comment(display(s.userTable.name)),
  };
}

function foreignKeyContext(table: TablePlan, fk: PlannedForeignKey): object {
  const behaviour = SqlText.sql(foreignKeyBehaviour(fk, true));
  return {
    name: SqlText.ident(fk.name),
    column: SqlText.ident(fk.column),
    columnLiteral: SqlText.literal(fk.column),
    columnDisplay: SqlText.comment(fk.column),
    parent: SqlText.qualified(fk.parent),
    parentLiteral: regclass(fk.parent),
    parentDisplay: SqlText.comment(display(fk.parent)),
    parentKey: SqlText.ident(fk.parentKey),
    /** The composite key's actions and deferral (named onDelete before ON UPDATE was kept too). */
    onDelete: behaviour,
    behaviour,
    singleBehaviour: SqlText.sql(foreignKeyBehaviour(fk, false)),
    singleName: SqlText.ident(objectName(table.name.name, fk.column, 'fkey')),
    needsColumnList: needsColumnList(fk),
    deleteCode: SqlText.literal(ACTION_CODE[fk.onDelete]),
    updateCode: SqlText.literal(ACTION_CODE[fk.onUpdate]),
    deferrable: fk.deferrable,
    initiallyDeferred: fk.initiallyDeferred,
    behaviourText: SqlText.literal(describeBehaviour(fk)),
    manifestPath: SqlText.literal(fk.manifestPath),
    partitions: table.partitions
      .filter((p) => table.partitioning === 'inheritance' || !p.partitioned)
      .map((p) => ({ name: SqlText.qualified(p.name), display: SqlText.comment(display(p.name)), constraint: SqlText.ident(objectName(p.name.name, fk.column, 'tenant_fkey')) })),
  };
}

/** A key into a shared table and its trigger; the error texts are PostgreSQL's own foreign-key violation's. */
function guardContext(table: TablePlan, g: PlannedGuard): object {
  return {
    column: SqlText.ident(g.column),
    columnLiteral: SqlText.literal(g.column),
    columnDisplay: SqlText.comment(g.column),
    parent: SqlText.qualified(g.parent),
    parentDisplay: SqlText.comment(display(g.parent)),
    parentNameLiteral: SqlText.literal(g.parent.name),
    parentKey: SqlText.ident(g.parentKey),
    trigger: SqlText.ident(g.trigger),
    function: SqlText.qualified(g.function),
    constraintLiteral: SqlText.literal(g.constraint),
    // Inheritance children do not inherit triggers; partitions do.
    children: table.partitioning === 'inheritance' ? table.partitions.map((p) => ({ name: SqlText.qualified(p.name) })) : [],
  };
}

/** The index a partition's tenant index attaches to: its parent's (the table's, or a sub-partitioned partition's). */
function parentIndex(table: TablePlan, partition: PartitionPlan): TableName {
  const same = (a: TableName, b: TableName): boolean => a.schema === b.schema && a.name === b.name;
  if (same(partition.parent, table.name)) return { schema: table.name.schema, name: table.tenantIndex };
  const parent = table.partitions.find((p) => same(p.name, partition.parent));
  if (parent === undefined) throw new Error(`internal: ${display(partition.parent)} is not a partition of ${display(table.name)}`);
  return { schema: parent.name.schema, name: parent.tenantIndex };
}

const tenantIndexColumns = (t: TablePlan): readonly string[] => (t.tenantIndexUnique ? t.indexColumns : [t.column]);

function partitionContext(t: TablePlan, p: PartitionPlan, s: PlanSettings): object {
  const asTable: TablePlan = { ...t, name: p.name };
  return {
    name: SqlText.qualified(p.name),
    literal: regclass(p.name),
    display: SqlText.comment(display(p.name)),
    partitioned: p.partitioned,
    leaf: !p.partitioned,
    tenantIndex: SqlText.ident(p.tenantIndex),
    tenantIndexQualified: SqlText.qualified({ schema: p.name.schema, name: p.tenantIndex }),
    tenantIndexDisplay: SqlText.comment(quoteQualified(p.name.schema, p.tenantIndex)),
    tenantIndexRegclass: regclass({ schema: p.name.schema, name: p.tenantIndex }),
    parentIndexQualified: t.partitioning === 'partitioned' ? SqlText.qualified(parentIndex(t, p)) : null,
    tenantForeignKey: SqlText.ident(p.tenantForeignKey),
    policies: policiesFor(asTable, s).map((policy) => ({ name: SqlText.ident(policy.name), create: SqlText.sql(createPolicy(asTable, policy)) })),
  };
}

function tableContext(t: TablePlan, s: PlanSettings): object {
  const policies = policiesFor(t, s);
  const commands = t.commands.map((c) => COMMAND_SQL[c]);
  const cross = s.crossTenantRole;
  const crossCommands = cross === null ? [] : cross.write ? ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] : ['SELECT'];
  const plainIndex = tenantIndexName(t.name.name, t.column, t.primaryKey, false);
  const partitionsKey = `tables.${t.key}.${t.partitioning === 'inheritance' ? 'children' : 'partitions'}`;
  return {
    name: SqlText.qualified(t.name),
    literal: regclass(t.name),
    display: SqlText.comment(display(t.name)),
    modeText: SqlText.comment(t.root ? 'tenant table' : t.mode),
    root: t.root,
    shared: t.mode === 'shared',
    column: SqlText.ident(t.column),
    columnLiteral: SqlText.literal(t.column),
    columnDisplay: SqlText.comment(t.column),
    type: SqlText.sql(t.type),
    typeText: SqlText.literal(t.type),
    addColumn: t.addColumn,
    columnHint: SqlText.literal(
      t.addColumn
        ? `declare it in the manifest, tables.${t.key}.existing_column: its type (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew`
        : `correct tables.${t.key}.existing_column in the manifest, or remove it so that the migration adds the column, then generate again; a migration never applied may be deleted and generated anew`,
    ),
    primaryKey: SqlText.ident(t.primaryKey),
    primaryKeyLiteral: SqlText.literal(t.primaryKey),
    tenantForeignKey: SqlText.ident(t.tenantForeignKey),
    tenantIndex: SqlText.ident(t.tenantIndex),
    tenantIndexQualified: SqlText.qualified({ schema: t.name.schema, name: t.tenantIndex }),
    tenantIndexDisplay: SqlText.comment(quoteQualified(t.name.schema, t.tenantIndex)),
    // The plain index an upgrade to the unique one replaces.
    plainTenantIndex: SqlText.ident(plainIndex),
    plainTenantIndexQualified: SqlText.qualified({ schema: t.name.schema, name: plainIndex }),
    plainTenantIndexDisplay: SqlText.comment(quoteQualified(t.name.schema, plainIndex)),
    tenantIndexLiteral: SqlText.literal(t.tenantIndex),
    tenantIndexRegclass: regclass({ schema: t.name.schema, name: t.tenantIndex }),
    pkeyLiteral: SqlText.literal(objectName(t.name.name, 'pkey')),
    notNullCheck: SqlText.ident(t.notNullCheck),
    fillTrigger: SqlText.ident(t.fillTrigger),
    fillFunction: SqlText.qualified(t.fillFunction),
    hasBackfill: t.backfill.length > 0,
    resolverNew: t.backfill.length > 0 ? SqlText.sql(tenantResolver(t, 'NEW')) : null,
    backfillStatement: t.backfill.length > 0 ? SqlText.literal(backfillStatement(t)) : null,
    unresolvedFail: t.unresolved === 'fail' && t.mode === 'tenant',
    unresolvedKeep: t.unresolved === 'keep' && t.mode === 'tenant',
    legacyOwner: t.legacyOwner === null ? null : SqlText.comment(t.legacyOwner),
    policies: policies.map((p) => ({ name: SqlText.ident(p.name), create: SqlText.sql(createPolicy(t, p)) })),
    grants: commands.length === 0 ? null : SqlText.sql(commands.join(', ')),
    grantsInsert: t.commands.includes('insert'),
    crossGrants: crossCommands.length === 0 ? null : SqlText.sql(crossCommands.join(', ')),
    crossGrantsInsert: crossCommands.includes('INSERT'),
    compositeForeignKeys: t.compositeForeignKeys.map((fk) => foreignKeyContext(t, fk)),
    needsColumnList: t.compositeForeignKeys.some(needsColumnList),
    tenantIndexUnique: t.tenantIndexUnique,
    // The unique key (what a template written for unique tenant indexes uses), and the columns the tenant index has: that key, or the tenant column alone.
    indexColumns: SqlText.sql(t.indexColumns.map(quoteIdent).join(', ')),
    indexColumnsDisplay: SqlText.comment(t.indexColumns.join(', ')),
    tenantIndexColumns: SqlText.sql(tenantIndexColumns(t).map(quoteIdent).join(', ')),
    tenantIndexColumnsDisplay: SqlText.comment(tenantIndexColumns(t).join(', ')),
    // For the SQL that indexes a partition the manifest does not list: the columns as names, and as the column list of a statement it formats.
    tenantIndexColumnNames: SqlText.sql(tenantIndexColumns(t).map((c) => SqlText.literal(c).quoted).join(', ')),
    tenantIndexColumnsLiteral: SqlText.literal(tenantIndexColumns(t).map(quoteIdent).join(', ')),
    // ... and its name: the partition's, then this.
    unlistedIndexSuffix: SqlText.literal(`_${t.column}_tenant_idx`),
    unlistedIndexSuffixDisplay: SqlText.comment(`_${t.column}_tenant_idx`),
    partitionedTable: t.partitioning === 'partitioned',
    // A unique index on a partitioned table must contain its partition key.
    partitionedUnique: t.partitioning === 'partitioned' && t.tenantIndexUnique,
    inheritance: t.partitioning === 'inheritance',
    hasPartitions: t.partitions.length > 0,
    partitions: t.partitions.map((p) => partitionContext(t, p, s)),
    /** Leaf partitions (partitioned) or children (inheritance): the tables that hold rows besides the parent. */
    rowPartitions: t.partitions.filter((p) => t.partitioning === 'inheritance' || !p.partitioned).map((p) => partitionContext(t, p, s)),
    /** Partitions from the deepest up: each attaches its index after its own partitions did. */
    partitionsBottomUp: [...t.partitions].reverse().map((p) => partitionContext(t, p, s)),
    subPartitioned: t.partitions.filter((p) => p.partitioned).map((p) => partitionContext(t, p, s)),
    treeLiterals: SqlText.sql([t.name, ...t.partitions.map((p) => p.name)].map((n) => regclass(n).quoted).join(', ')),
    partitionLiterals: SqlText.sql(t.partitions.map((p) => regclass(p.name).quoted).join(', ')),
    partitionKey: SqlText.sql(t.indexColumns.map((c) => SqlText.literal(c).quoted).join(', ')),
    partitionsHint: SqlText.literal(`list them under ${partitionsKey} in the manifest (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew`),
    unlistedPartitionsAdvice: SqlText.literal(`list them under ${partitionsKey} in the manifest and generate again, so that a migration gives them row-level security`),
    partitionKeyHint: SqlText.literal(`add the column to tables.${t.key}.partition_key in the manifest (rlsgen init does)`),
  };
}

function exemptContext(tables: readonly ExemptTablePlan[]): object[] {
  return tables.map((t) => ({
    name: SqlText.qualified(t.name),
    literal: regclass(t.name),
    display: SqlText.comment(display(t.name)),
    reason: SqlText.comment(t.reason),
    grants: t.commands.length === 0 ? null : SqlText.sql(t.commands.map((c) => COMMAND_SQL[c]).join(', ')),
  }));
}

function stepContext(step: Step, settings: PlanSettings): object {
  switch (step.kind) {
    case 'bootstrap':
      return { schemas: step.schemas.map((s) => ({ name: SqlText.ident(s), literal: SqlText.literal(s), display: SqlText.comment(s) })) };
    case 'require-tenant':
      return { table: tableContext(step.table, settings), foreignKey: step.foreignKey };
    case 'partition-index':
      return { table: tableContext(step.table, settings), partition: partitionContext(step.table, step.partition, settings) };
    case 'secure-partitions': {
      const added = new Set(step.partitions.map((p) => `${p.name.schema}.${p.name.name}`));
      const table = { ...step.table, partitions: step.table.partitions.filter((p) => added.has(`${p.name.schema}.${p.name.name}`)) };
      return { table: tableContext(table, settings), foreignKeys: table.compositeForeignKeys.map((fk) => foreignKeyContext(table, fk)) };
    }
    case 'attach-tenant-index':
    case 'check-partition-key':
    case 'drop-plain-tenant-index':
    case 'add-tenant-column':
    case 'tenant-index':
    case 'backfill':
    case 'vacuum':
    case 'validate-tenant':
    case 'set-not-null':
    case 'enable-policies':
    case 'drop-not-null':
      return { table: tableContext(step.table, settings) };
    case 'add-composite-foreign-keys':
    case 'validate-composite-foreign-keys':
    case 'drop-single-foreign-keys':
    case 'drop-composite-foreign-keys':
      return {
        table: tableContext(step.table, settings),
        foreignKeys: step.foreignKeys.map((fk) => foreignKeyContext(step.table, fk)),
      };
    case 'add-reference-guards':
    case 'validate-reference-guards':
    case 'drop-reference-guards':
      return { table: tableContext(step.table, settings), guards: step.guards.map((g) => guardContext(step.table, g)) };
    case 'replace-policies':
      return {
        table: tableContext(step.table, settings),
        previous: tableContext(step.previous, step.previousSettings),
        previousSettings: settingsContext(step.previousSettings),
      };
    case 'remove-policies':
      return {
        table: tableContext(step.table, step.previousSettings),
        previousSettings: settingsContext(step.previousSettings),
        reason: SqlText.comment(step.reason),
      };
    case 'exempt-tables':
      return { tables: exemptContext(step.tables), previous: exemptContext(step.previous) };
    case 'views':
      return { views: step.views.map(viewContext), previous: step.previous.map(viewContext), touched: [...step.views, ...step.previous].map(viewContext) };
    case 'function-privileges':
      return { functions: step.functions.map(functionContext), previous: step.previous.map(functionContext) };
    case 'temporary-privileges':
      return { temporary: temporaryContext(step.temporary), previous: temporaryContext(step.previous) };
    case 'lookups':
      return lookupsContext(step);
    case 'citus-prepare':
    case 'citus-distribute': {
      const reference = (name: TableName): object => ({ name: SqlText.qualified(name), literal: regclass(name), display: SqlText.comment(display(name)) });
      const root = step.kind === 'citus-distribute' ? step.root : null;
      const anchor = step.kind === 'citus-distribute' ? step.colocateWith : null;
      return {
        tenants: step.tenants.map((t) => {
          if (anchor === null) return tableContext(t, settings);
          // The co-location anchor itself starts a group of its own; the others join it.
          const own = anchor.schema === t.name.schema && anchor.name === t.name.name;
          return { ...tableContext(t, settings), colocateWith: own ? SqlText.literal('none') : regclass(anchor) };
        }),
        references: step.references.map(reference),
        root: root === null ? null : { ...reference(root), key: SqlText.literal(settings.tenantKey) },
        involved: [...(root === null ? [] : [root]), ...step.references, ...step.tenants.map((t) => t.name)].map(reference),
        colocation: anchor === null ? null : SqlText.comment(display(anchor)),
      };
    }
    case 'citus-primary-key':
      return { table: tableContext(step.table, settings) };
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

function metaFor(step: Step, stage: Stage, settings: PlanSettings): FileMeta {
  const base = { step: step.kind, stage };
  switch (step.kind) {
    case 'bootstrap':
      return settings.owner === null ? base : { ...base, owner: settings.owner };
    case 'exempt-tables':
    case 'views':
    case 'function-privileges':
    case 'temporary-privileges':
    case 'lookups':
    case 'citus-prepare':
    case 'citus-distribute':
      return base;
    case 'tenant-index':
      return { ...base, table: display(step.table.name), index: [step.table.name.schema, step.table.tenantIndex] };
    case 'partition-index':
      return { ...base, table: display(step.partition.name), index: [step.partition.name.schema, step.partition.tenantIndex] };
    default:
      return { ...base, table: display(step.table.name) };
  }
}

/** Reads the metadata line of a generated file, or null for a file rlsgen did not write. */
export function readFileMeta(sql: string): FileMeta | null {
  const line = sql.split('\n').find((l) => l.startsWith(META_PREFIX));
  if (line === undefined) return null;
  try {
    return JSON.parse(line.slice(META_PREFIX.length)) as FileMeta;
  } catch {
    return null;
  }
}

function assemble(body: string, meta: FileMeta, transactional: boolean, template: string): string {
  if (body.includes(DISABLE_TRANSACTION_MARKER)) {
    throw new Error(`template ${template} contains "${DISABLE_TRANSACTION_MARKER}"; rlsgen adds that line itself where it belongs`);
  }
  const lines = [`${META_PREFIX}${JSON.stringify(meta)}`];
  if (!transactional) lines.push(DISABLE_TRANSACTION_MARKER);
  const text = `${lines.join('\n')}\n${body.trim()}\n`;
  return text.replace(/\n{3,}/g, '\n\n');
}

const pad = (id: number): string => String(id).padStart(4, '0');

/**
 * Renders every step of a plan into numbered migration files starting at
 * `firstId`. Pure: same plan and templates, same bytes. postgres-migrations
 * keys applied files by their name without the number, so a step that
 * recurs (`lookups`, `exempt_tables`) gets `_2`, `_3`... after the names in
 * `taken` (those of the files already in the folder).
 */
export function renderPlan(plan: Plan, env: TemplateEnv, firstId: number, taken: ReadonlySet<string> = new Set(), supersedes: readonly string[] = []): MigrationFile[] {
  const settings = settingsContext(plan.settings);
  const names = new Set(taken);
  const unique = (slug: string): string => {
    let name = slug;
    for (let n = 2; names.has(name); n++) name = `${slug}_${n}`;
    names.add(name);
    return name;
  };
  // The replaced files are named by the first file of the replacing enforce stage (or of the generation).
  const firstEnforce = plan.steps.findIndex((s) => s.stage === 'enforce');
  const carrier = supersedes.length === 0 ? -1 : Math.max(0, firstEnforce);
  return plan.steps.map((planned, index) => {
    const id = firstId + index;
    const base = `${pad(id)}_${unique(planned.slug)}`;
    // The name under which the file saves what it changes (grants, defaults), for its rollback to restore exactly.
    const migration = SqlText.literal(base);
    const context = { ...stepContext(planned.step, plan.settings), settings, stage: planned.stage, transactional: planned.transactional, migration };
    const own = metaFor(planned.step, planned.stage, plan.settings);
    const meta = index === carrier ? { ...own, supersedes } : own;
    const kind = planned.step.kind;
    const downTransactional = !NON_TRANSACTIONAL_DOWN.has(kind);
    return {
      id,
      fileName: `${base}.sql`,
      downFileName: `down/${base}.down.sql`,
      stage: planned.stage,
      step: kind,
      transactional: planned.transactional,
      up: assemble(env.render(kind, context), meta, planned.transactional, kind),
      down: assemble(env.render(`${kind}.down`, { ...context, transactional: downTransactional }), meta, downTransactional, `${kind}.down`),
    };
  });
}
