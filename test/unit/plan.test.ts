import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { planTenancy } from '../../src/plan/plan-tenancy.js';
import type { Plan } from '../../src/plan/plan.js';
import { backfillStatement } from '../../src/render/backfill-statement.js';
import { pathResolver, policiesFor, tenantResolver } from '../../src/render/sql-fragments.js';
import { planTables } from '../../src/plan/plan-tenancy.js';
import { readState } from '../../src/write/generate-migrations.js';
import { tempDir } from '../helpers/temp.js';

const HEAD = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: app } }
`;

/** Contacts, and deals with a composite key to them: contacts is a parent, deals is not. */
const CONTACTS_DEALS = `${HEAD}tables:
  users: { mode: exempt, reason: r, existing_column: uuid }
  contacts: { backfill: owner_id -> users }
  deals:
    backfill: owner_id -> users
    foreign_keys: { contact_id: contacts }
`;

function modelOf(yaml: string): Model {
  const result = loadManifest(yaml, 'm.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.model;
}

function planOf(yaml: string, previous: string | null = null, built: readonly string[] = []): Plan {
  const result = planTenancy(previous === null ? null : modelOf(previous), modelOf(yaml), new Set(built));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.plan;
}

const slugs = (plan: Plan): string[] => plan.steps.map((s) => s.slug);

describe('planTenancy: ordering', () => {
  it('fills a parent before its children, whatever the manifest order', () => {
    const plan = planOf(`${HEAD}tables:
  users: { mode: exempt, reason: r, existing_column: uuid }
  transactions: { backfill: payment_id -> payments }
  payments: { backfill: order_id -> orders }
  orders: { backfill: user_id -> users }
`);
    expect(slugs(plan).filter((s) => s.startsWith('backfill_'))).toEqual(['backfill_orders', 'backfill_payments', 'backfill_transactions']);
  });

  it('runs phase by phase: columns, backfills, then indexes and constraints, NOT NULL, then references and policies', () => {
    const plan = planOf(`${HEAD}tables:
  users: { mode: exempt, reason: r, existing_column: uuid }
  contacts: { backfill: owner_id -> users }
  deals:
    backfill: owner_id -> users
    foreign_keys: { contact_id: contacts }
`);
    expect(slugs(plan)).toEqual([
      'bootstrap',
      'add_tenant_column_contacts',
      'add_tenant_column_deals',
      'backfill_contacts',
      'vacuum_contacts',
      'backfill_deals',
      'vacuum_deals',
      'tenant_index_contacts',
      'tenant_index_deals',
      'require_tenant_contacts',
      'require_tenant_deals',
      'validate_tenant_contacts',
      'validate_tenant_deals',
      'set_not_null_contacts',
      'set_not_null_deals',
      'add_composite_foreign_keys_deals',
      'validate_composite_foreign_keys_deals',
      'drop_single_foreign_keys_deals',
      'enable_policies_contacts',
      'enable_policies_deals',
      'exempt_tables',
    ]);
    expect(plan.steps.filter((s) => !s.transactional).map((s) => s.step.kind)).toEqual([
      'backfill',
      'vacuum',
      'backfill',
      'vacuum',
      'tenant-index',
      'tenant-index',
    ]);
  });
});

describe('planTenancy: the tenant index', () => {
  const manifest = CONTACTS_DEALS;

  it('is unique on (tenant, key) where a composite key references the table, on the tenant column alone elsewhere', () => {
    const tables = planTables(modelOf(manifest));
    expect([tables.get('public.contacts')?.tenantIndexUnique, tables.get('public.contacts')?.tenantIndex]).toEqual([true, 'contacts_company_id_id_key']);
    expect([tables.get('public.deals')?.tenantIndexUnique, tables.get('public.deals')?.tenantIndex]).toEqual([false, 'deals_company_id_tenant_idx']);
  });

  it('is unique everywhere for Citus, where it becomes the primary key', () => {
    const tables = planTables(modelOf(`${manifest}target: citus\n`));
    expect([...tables.values()].filter((t) => !t.root).map((t) => [t.key, t.tenantIndexUnique])).toEqual([
      ['contacts', true],
      ['deals', true],
    ]);
  });
});

describe('planTenancy: modes', () => {
  const plan = planOf(`${HEAD}roles: { app: { name: app }, cross_tenant: { name: admin } }
user: { references: users(id) }
tables:
  users: { mode: exempt, reason: r, existing_column: uuid, commands: [select] }
  templates: { mode: shared, backfill: owner_id -> users }
  calls: { backfill: user_id -> users, unresolved: keep, legacy_owner: user_id }
  notes: { existing_column: uuid }
`.replace(`roles: { app: { name: app } }\n`, ''));

  it('shared and keep tables stay nullable; others get NOT NULL without a backfill if they have none', () => {
    const kinds = (table: string) => plan.steps.filter((s) => 'table' in s.step && s.step.table.key === table).map((s) => s.step.kind);
    expect(kinds('templates')).toEqual(['add-tenant-column', 'backfill', 'vacuum', 'tenant-index', 'require-tenant', 'validate-tenant', 'enable-policies']);
    expect(kinds('calls')).toEqual(['add-tenant-column', 'backfill', 'vacuum', 'tenant-index', 'require-tenant', 'validate-tenant', 'enable-policies']);
    expect(kinds('notes')).toEqual(['add-tenant-column', 'tenant-index', 'require-tenant', 'validate-tenant', 'set-not-null', 'enable-policies']);
  });

  it('gives shared tables read-only global rows and legacy tables the owner rule', () => {
    const tables = planTables(modelOf(`${HEAD}user: { references: users(id) }
tables:
  users: { mode: exempt, reason: r, existing_column: uuid, commands: [select] }
  templates: { mode: shared }
  calls: { legacy_owner: user_id, unresolved: keep }
`));
    const settings = plan.settings;
    const shared = policiesFor(tables.get('public.templates')!, { ...settings, crossTenantRole: null });
    expect(shared.map((p) => [p.name, p.using, p.check])).toEqual([
      ['rlsgen_tenant_select', "(company_id = NULLIF(current_setting('app.company_id', true), '')::uuid) OR company_id IS NULL", null],
      ['rlsgen_tenant_insert', null, "company_id = NULLIF(current_setting('app.company_id', true), '')::uuid"],
      ['rlsgen_tenant_update', "company_id = NULLIF(current_setting('app.company_id', true), '')::uuid", "company_id = NULLIF(current_setting('app.company_id', true), '')::uuid"],
      ['rlsgen_tenant_delete', "company_id = NULLIF(current_setting('app.company_id', true), '')::uuid", null],
    ]);
    const legacy = policiesFor(tables.get('public.calls')!, plan.settings);
    expect(legacy[0]?.using).toBe(
      "(company_id = NULLIF(current_setting('app.company_id', true), '')::uuid) OR (company_id IS NULL AND user_id = (SELECT u.id FROM public.users AS u WHERE u.id = NULLIF(current_setting('app.user_id', true), '')::uuid AND u.company_id = NULLIF(current_setting('app.company_id', true), '')::uuid))",
    );
    expect(legacy[1]?.check).toBe("company_id = NULLIF(current_setting('app.company_id', true), '')::uuid");
    expect(legacy.slice(-1)[0]).toEqual({ name: 'rlsgen_cross_tenant_read', command: 'SELECT', role: 'admin', using: 'true', check: null });
  });
});

describe('backfill resolvers', () => {
  const model = modelOf(`${HEAD}tables:
  users: { mode: exempt, reason: r, existing_column: uuid }
  customers: { backfill: owner_id -> users }
  orders: { backfill: customer_id -> customers }
  payments: { backfill: order_id -> orders }
  payment_transactions: { backfill: [payment_id -> payments, order_id -> orders, customer_id -> customers] }
  flow_logs: { backfill: wa_id -> customers(wa_id) }
  campaigns: { backfill: created_by -> users }
  jobs: { backfill: campaign_id -> campaigns }
  api_logs:
    backfill: { first_of: [campaign_id -> campaigns, job_id -> jobs] }
`);
  const tables = planTables(model);
  const table = (name: string) => tables.get(`public.${name}`)!;

  it('direct owner', () => {
    expect(tenantResolver(table('customers'), 't')).toBe('(SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = t.owner_id)');
  });
  it('multi-hop joins each table in turn', () => {
    expect(tenantResolver(table('payment_transactions'), 'NEW')).toBe(
      '(SELECT h3.company_id FROM public.payments AS h1 JOIN public.orders AS h2 ON h2.id = h1.order_id JOIN public.customers AS h3 ON h3.id = h2.customer_id WHERE h1.id = NEW.payment_id)',
    );
  });
  it('a non-key match resolves only when every match agrees', () => {
    expect(pathResolver(table('flow_logs').backfill[0]!, 't')).toBe(
      '(SELECT CASE WHEN count(DISTINCT h1.company_id) = 1 THEN (array_agg(h1.company_id) FILTER (WHERE h1.company_id IS NOT NULL))[1] END FROM public.customers AS h1 WHERE h1.wa_id = t.wa_id)',
    );
  });
  it('first of several paths', () => {
    expect(tenantResolver(table('api_logs'), 't')).toBe(
      'COALESCE(\n    (SELECT h1.company_id FROM public.campaigns AS h1 WHERE h1.id = t.campaign_id),\n    (SELECT h1.company_id FROM public.jobs AS h1 WHERE h1.id = t.job_id)\n  )',
    );
  });
});

describe('backfill batch statements', () => {
  const tables = planTables(
    modelOf(`${HEAD}tables:
  users: { mode: exempt, reason: r, existing_column: uuid }
  customers: { backfill: owner_id -> users }
  orders: { backfill: customer_id -> customers }
  payments: { backfill: order_id -> orders }
  payment_transactions: { backfill: [payment_id -> payments, order_id -> orders] }
  flow_logs: { backfill: wa_id -> customers(wa_id) }
  campaigns: { backfill: created_by -> users }
  api_logs:
    backfill: { first_of: [campaign_id -> campaigns, wa_id -> customers(wa_id)] }
`),
  );
  const statement = (name: string): string => backfillStatement(tables.get(`public.${name}`)!);

  it('one key path: the join in the UPDATE itself, for the keys $1 to $2', () => {
    expect(statement('customers')).toBe(
      [
        'UPDATE public.customers AS t',
        '   SET company_id = h1.company_id',
        '  FROM public.users AS h1',
        ' WHERE t.id BETWEEN $1 AND $2',
        '   AND t.company_id IS NULL',
        '   AND h1.id = t.owner_id',
        '   AND h1.company_id IS NOT NULL',
      ].join('\n'),
    );
  });
  it('several hops: joined in turn, the tenant read on the last', () => {
    expect(statement('payment_transactions')).toBe(
      [
        'UPDATE public.payment_transactions AS t',
        '   SET company_id = h2.company_id',
        '  FROM public.payments AS h1',
        '  JOIN public.orders AS h2 ON h2.id = h1.order_id',
        ' WHERE t.id BETWEEN $1 AND $2',
        '   AND t.company_id IS NULL',
        '   AND h1.id = t.payment_id',
        '   AND h2.company_id IS NOT NULL',
      ].join('\n'),
    );
  });
  it('a non-key match: resolved once per row in a LATERAL aggregate, only when every match agrees', () => {
    expect(statement('flow_logs')).toBe(
      [
        'UPDATE public.flow_logs AS t',
        '   SET company_id = r.tenant',
        '  FROM (SELECT s.id AS row_key, p1.tenant AS tenant',
        '          FROM public.flow_logs AS s',
        '          LEFT JOIN LATERAL (SELECT CASE WHEN count(DISTINCT h1.company_id) = 1 THEN (array_agg(h1.company_id) FILTER (WHERE h1.company_id IS NOT NULL))[1] END AS tenant FROM public.customers AS h1 WHERE h1.wa_id = s.wa_id) AS p1 ON true',
        '         WHERE s.id BETWEEN $1 AND $2',
        '           AND s.company_id IS NULL) AS r',
        ' WHERE t.id = r.row_key',
        '   AND t.id BETWEEN $1 AND $2',
        '   AND t.company_id IS NULL',
        '   AND r.tenant IS NOT NULL',
      ].join('\n'),
    );
  });
  it('first_of: one outer join per path, the first that resolves wins', () => {
    expect(statement('api_logs')).toContain('FROM (SELECT s.id AS row_key, COALESCE(p1h1.company_id, p2.tenant) AS tenant');
    expect(statement('api_logs')).toContain('LEFT JOIN public.campaigns AS p1h1 ON p1h1.id = s.campaign_id');
  });
});

describe('planTenancy: incremental', () => {
  const base = CONTACTS_DEALS;

  it('plans nothing when nothing changed', () => {
    expect(planOf(base, base).steps).toEqual([]);
  });

  it('a table added: only that table', () => {
    const next = `${base}  calls: { backfill: user_id -> users }\n`;
    expect(slugs(planOf(next, base))).toEqual([
      'add_tenant_column_calls',
      'backfill_calls',
      'vacuum_calls',
      'tenant_index_calls',
      'require_tenant_calls',
      'validate_tenant_calls',
      'set_not_null_calls',
      'enable_policies_calls',
    ]);
  });

  it('a table that becomes the parent of a composite key: its unique index, before the key that references it', () => {
    const next = `${base}  calls:\n    backfill: user_id -> users\n    foreign_keys: { deal_id: deals }\n`;
    const before = planTables(modelOf(base)).get('public.deals');
    const after = planTables(modelOf(next)).get('public.deals');
    expect([before?.tenantIndexUnique, before?.tenantIndex]).toEqual([false, 'deals_company_id_tenant_idx']);
    expect([after?.tenantIndexUnique, after?.tenantIndex]).toEqual([true, 'deals_company_id_id_key']);
    const steps = slugs(planOf(next, base));
    expect(steps.filter((s) => s.startsWith('tenant_index_'))).toEqual(['tenant_index_calls', 'tenant_index_deals']);
    expect(steps.indexOf('tenant_index_deals')).toBeLessThan(steps.indexOf('add_composite_foreign_keys_calls'));
    // The plain index it replaces goes once the unique one is built.
    expect(steps.indexOf('drop_plain_tenant_index_deals')).toBe(steps.indexOf('tenant_index_deals') + 1);
    expect(planOf(next, base).steps.find((s) => s.slug === 'drop_plain_tenant_index_deals')).toMatchObject({ stage: 'prepare', transactional: false });
    // The other way, the unique index stays: nothing to build or drop, and
    // the plan (what the state file records) still has it unique.
    const back = planOf(base, next, planOf(next, base).uniqueTenantIndexes);
    expect(slugs(back).filter((s) => s.includes('index'))).toEqual([]);
    expect(back.uniqueTenantIndexes).toEqual(['public.contacts', 'public.deals']);
    expect(planOf(base).uniqueTenantIndexes).toEqual(['public.contacts']);
  });

  it('an inheritance parent that becomes a parent of a composite key and gains a child: each child indexed once, unique', () => {
    const withChildren = base.replace('  deals:\n    backfill: owner_id -> users\n', '  deals:\n    backfill: owner_id -> users\n    children: [deals_old]\n');
    const next = `${withChildren.replace('children: [deals_old]', 'children: [deals_old, deals_new]')}  calls:\n    backfill: user_id -> users\n    foreign_keys: { deal_id: deals }\n`;
    const built = planOf(withChildren).uniqueTenantIndexes;
    const steps = planOf(next, withChildren, built).steps.filter((s) => s.stage === 'prepare' && /index/.test(s.slug));
    expect(steps.map((s) => s.slug)).toEqual(['tenant_index_calls', 'tenant_index_deals', 'partition_index_deals_old', 'partition_index_deals_new']);
    expect(steps.map((s) => 'table' in s.step && s.step.table.tenantIndexUnique)).toEqual([false, true, true, true]);
  });

  it('a partitioned table that becomes a parent of a composite key: its partition keys checked before any partition builds the unique index', () => {
    const partitioned = base.replace('  deals:\n    backfill: owner_id -> users\n', '  deals:\n    backfill: owner_id -> users\n    partition_key: [company_id]\n    partitions: [deals_p0, deals_p1]\n');
    const next = `${partitioned}  calls:\n    backfill: user_id -> users\n    foreign_keys: { deal_id: deals }\n`;
    const steps = planOf(next, partitioned, planOf(partitioned).uniqueTenantIndexes).steps.filter((s) => s.stage === 'prepare');
    expect(steps.map((s) => s.slug).filter((s) => /index|partition_key/.test(s))).toEqual([
      'tenant_index_calls',
      'check_partition_key_deals',
      'partition_index_deals_p0',
      'partition_index_deals_p1',
      'attach_tenant_index_deals',
    ]);
    expect(steps.find((s) => s.slug === 'check_partition_key_deals')?.transactional).toBe(true);
    // The first generation checks them in its preflight, where the index is unique from the start.
    expect(slugs(planOf(next)).filter((s) => s.startsWith('check_partition_key'))).toEqual([]);
  });

  it('a table no longer scoped stays recorded as unique: its index is still there', () => {
    const none = base.replace(/  contacts:[\s\S]*$/, '');
    expect(planOf(none, base, ['public.contacts']).uniqueTenantIndexes).toEqual(['public.contacts']);
  });

  it('bootstraps again over a state generated with the earlier backfill procedure', () => {
    const older = modelOf(base);
    const { batchPause: _dropped, ...migration } = older.migration;
    const result = planTenancy({ ...older, migration: migration as Model['migration'] }, modelOf(base));
    expect(result.ok && result.plan.steps.map((s) => s.slug)).toEqual(['bootstrap']);
  });

  it('a table that must now be NOT NULL: the check, not the foreign key it has already', () => {
    const keep = base.replace('contacts: { backfill: owner_id -> users }', 'contacts: { backfill: owner_id -> users, unresolved: keep }');
    const plan = planOf(base, keep);
    expect(slugs(plan)).toEqual(['require_tenant_contacts', 'validate_tenant_contacts', 'set_not_null_contacts', 'replace_policies_contacts']);
    const require = plan.steps.find((s) => s.step.kind === 'require-tenant')?.step;
    expect(require).toMatchObject({ kind: 'require-tenant', foreignKey: false });
  });

  it('a mode changed: NOT NULL off, policies replaced, composite keys to it dropped, and guarded by a trigger instead', () => {
    const next = base.replace('contacts: { backfill', 'contacts: { mode: shared, backfill');
    expect(slugs(planOf(next, base))).toEqual([
      'drop_composite_foreign_keys_deals',
      'add_reference_guards_deals',
      'validate_reference_guards_deals',
      'drop_not_null_contacts',
      'replace_policies_contacts',
    ]);
    // Back to tenant: NOT NULL again, the composite key comes back (to the
    // unique index the first generation built), then the trigger goes.
    expect(slugs(planOf(base, next, ['public.contacts']))).toEqual([
      'require_tenant_contacts',
      'validate_tenant_contacts',
      'set_not_null_contacts',
      'add_composite_foreign_keys_deals',
      'validate_composite_foreign_keys_deals',
      'drop_single_foreign_keys_deals',
      'drop_reference_guards_deals',
      'replace_policies_contacts',
    ]);
  });

  it('a table removed: its policies come off', () => {
    const next = base.replace(/  deals:[\s\S]*$/, '');
    expect(slugs(planOf(next, base))).toEqual(['drop_composite_foreign_keys_deals', 'remove_policies_deals']);
  });

  it('a table made exempt: policies off, grants as exempt', () => {
    const next = base.replace(/  deals:[\s\S]*$/, '  deals: { mode: exempt, reason: shared pipeline board }\n');
    expect(slugs(planOf(next, base))).toEqual(['drop_composite_foreign_keys_deals', 'remove_policies_deals', 'exempt_tables']);
  });

  it('refuses a change of tenant column', () => {
    const result = planTenancy(modelOf(base), modelOf(base.replace('column: company_id', 'column: org_id')));
    expect(result).toEqual({ ok: false, problems: ['tenant.column changed from company_id to org_id'] });
  });

  it('the example manifest plans every scoped table once', () => {
    const plan = planOf(readFileSync('policies.yaml', 'utf8'));
    expect(plan.steps.filter((s) => s.step.kind === 'enable-policies')).toHaveLength(31);
  });
});

describe('planTenancy: lookups, the tenant table and retiring legacy owners', () => {
  const BASE = `${HEAD}user: { references: users(id) }
tables:
  companies: { commands: [select] }
  users: { existing_column: uuid, unresolved: keep }
  calls:
    backfill: user_id -> users
    unresolved: keep
    legacy_owner: user_id
    foreign_keys: { user_id: users }
`;
  const LOOKUPS = `lookups:
  user_by_email: { table: users, key: email, returns: [id, company_id] }
`;

  it('scopes the tenant table with its enforce step only, matched on its key', () => {
    const plan = planOf(BASE);
    expect(slugs(plan).filter((s) => s.endsWith('_companies'))).toEqual(['enable_policies_companies']);
    const companies = planTables(modelOf(BASE)).get('public.companies');
    expect(companies).toMatchObject({ root: true, column: 'id', commands: ['select'] });
    const settings = plan.settings;
    expect(policiesFor(companies ?? (undefined as never), settings)[0]?.using).toBe("id = NULLIF(current_setting('app.company_id', true), '')::uuid");
  });

  it('binds the legacy owner branch to the users of the current tenant', () => {
    const plan = planOf(BASE);
    const calls = planTables(modelOf(BASE)).get('public.calls');
    expect(policiesFor(calls ?? (undefined as never), plan.settings)[0]?.using).toBe(
      "(company_id = NULLIF(current_setting('app.company_id', true), '')::uuid) OR (company_id IS NULL AND user_id = (SELECT u.id FROM public.users AS u WHERE u.id = NULLIF(current_setting('app.user_id', true), '')::uuid AND u.company_id = NULLIF(current_setting('app.company_id', true), '')::uuid))",
    );
  });

  it('retires the owner branch in one generate once unresolved is fail', () => {
    const retired = BASE.replace('    unresolved: keep\n    legacy_owner: user_id\n', '');
    const plan = planOf(retired, BASE);
    expect(slugs(plan)).toEqual(['require_tenant_calls', 'validate_tenant_calls', 'set_not_null_calls', 'replace_policies_calls']);
    const calls = planTables(modelOf(retired)).get('public.calls');
    expect(policiesFor(calls ?? (undefined as never), plan.settings).map((p) => p.using)).not.toContain(expect.stringContaining('app.user_id'));
  });

  it('plans lookups in a file of their own, and only what changed afterwards', () => {
    const first = planOf(`${BASE}${LOOKUPS}`);
    expect(slugs(first).slice(-1)).toEqual(['lookups']);
    const step = first.steps.slice(-1)[0]?.step;
    expect(step).toMatchObject({ kind: 'lookups', previous: null, drop: [], create: [{ name: 'user_by_email', key: ['email'], returns: ['id', 'company_id'] }] });
    expect(step?.kind === 'lookups' ? step.access : []).toEqual([
      { table: { schema: 'public', name: 'users' }, from: null, to: { table: { schema: 'public', name: 'users' }, columns: ['company_id', 'email', 'id'], policy: true } },
    ]);
    expect(slugs(planOf(`${BASE}${LOOKUPS}`, `${BASE}${LOOKUPS}`))).toEqual([]);
    const added = planOf(`${BASE}${LOOKUPS}  call_by_id: { table: calls, key: id, returns: [company_id] }\n`, `${BASE}${LOOKUPS}`).steps[0]?.step;
    expect(added).toMatchObject({ kind: 'lookups', drop: [], create: [{ name: 'call_by_id' }], access: [{ table: { name: 'calls' }, from: null }] });
    const removed = planOf(BASE, `${BASE}${LOOKUPS}`).steps[0]?.step;
    expect(removed).toMatchObject({ kind: 'lookups', next: null, create: [], drop: [{ name: 'user_by_email' }], access: [{ to: null }] });
  });
});

describe('planTenancy: views, function privileges, TEMPORARY', () => {
  const TABLES = `tables:
  companies: { mode: exempt, reason: the tenant table }
  deals: { existing_column: uuid }
`;
  const reach = (plan: Plan) => plan.steps.filter((s) => ['views', 'function-privileges', 'temporary-privileges'].includes(s.step.kind)).map((s) => s.step);

  it('writes one enforce-stage file each, only for what the manifest lists', () => {
    const plan = planOf(`${HEAD}${TABLES}views:\n  open_deals:\nfunctions:\n  report(integer):\ndatabase:\n  temporary: { revoke_from_public: true }\n`);
    expect(slugs(plan).slice(-3)).toEqual(['views', 'function_privileges', 'temporary_privileges']);
    expect(plan.steps.slice(-3).map((s) => s.stage)).toEqual(['enforce', 'enforce', 'enforce']);
    expect(reach(planOf(`${HEAD}${TABLES}`))).toEqual([]);
  });

  it('writes the list again when it changes, with what left it, and nothing when it does not', () => {
    const before = `${HEAD}${TABLES}views:\n  open_deals:\n  deal_totals:\nfunctions:\n  report(integer):\n`;
    expect(reach(planOf(before, before))).toEqual([]);
    const after = `${HEAD}${TABLES}views:\n  open_deals:\nfunctions:\n  report(integer): { revoke_execute: false }\n`;
    expect(reach(planOf(after, before))).toEqual([
      { kind: 'views', views: [{ name: { schema: 'public', name: 'open_deals' }, commands: ['select'], reason: null }], previous: [{ name: { schema: 'public', name: 'deal_totals' }, commands: ['select'], reason: null }] },
      { kind: 'function-privileges', functions: [], previous: [{ schema: 'public', name: 'report', argumentTypes: 'integer', reason: null }] },
    ]);
  });

  it('reads a state file written before these sections existed as having none of them', () => {
    const old = modelOf(`${HEAD}${TABLES}`) as unknown as Record<string, unknown>;
    for (const key of ['views', 'functions', 'acknowledgements', 'database']) delete old[key];
    const dir = tempDir('state');
    writeFileSync(join(dir, 'rlsgen.state.json'), JSON.stringify({ format: 1, model: old, files: [] }));
    const state = readState(dir);
    expect(state?.model.views).toEqual([]);
    expect(planTenancy(state?.model ?? null, modelOf(`${HEAD}${TABLES}`)).ok).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
