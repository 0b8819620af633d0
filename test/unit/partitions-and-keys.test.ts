import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/manifest/diagnostic.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';
import { planTenancy } from '../../src/plan/plan-tenancy.js';
import { foreignKeyBehaviour } from '../../src/render/foreign-key-sql.js';
import { renderPlan } from '../../src/render/render-plan.js';
import { createTemplateEnv } from '../../src/render/template-env.js';
import { readTemplates } from '../../src/write/read-templates.js';

const HEAD = `version: 1
tenant:
  column: company_id
  type: uuid
  references: companies(id)
roles:
  app:
    name: crm_app
tables:
  companies: { mode: exempt, reason: the tenant table }
  contacts:
    existing_column: uuid
`;

function problems(yaml: string): string[] {
  return loadManifest(yaml, 'policies.yaml').diagnostics.map((d) => formatDiagnostic(d, { color: false }));
}

function model(yaml: string): Model {
  const result = loadManifest(yaml, 'policies.yaml');
  if (!result.ok) throw new Error(problems(yaml).join('\n'));
  return result.model;
}

describe('foreign keys keep their behaviour', () => {
  const keys = (yaml: string) => model(`${HEAD}${yaml}`).tables.find((t) => t.key === 'deals')?.foreignKeys;

  it('reads every action on delete and on update, deferral and MATCH', () => {
    expect(
      keys(`  deals:
    backfill: contact_id -> contacts
    foreign_keys:
      contact_id: { references: contacts, on_delete: set_null, on_update: cascade, deferrable: true, initially_deferred: true, match: full }
`),
    ).toEqual([
      { column: 'contact_id', table: 'contacts', references: 'id', onDelete: 'set_null', onUpdate: 'cascade', deferrable: true, initiallyDeferred: true, match: 'full', composite: true },
    ]);
  });

  it.each([
    ['no_action', 'no_action', false, false, ''],
    ['restrict', 'restrict', false, false, ' ON UPDATE RESTRICT ON DELETE RESTRICT'],
    ['cascade', 'cascade', true, false, ' ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE'],
    ['set_null', 'no_action', true, true, ' ON DELETE SET NULL (contact_id) DEFERRABLE INITIALLY DEFERRED'],
    ['set_default', 'cascade', false, false, ' ON UPDATE CASCADE ON DELETE SET DEFAULT (contact_id)'],
  ] as const)('composite: on_delete %s, on_update %s', (onDelete, onUpdate, deferrable, initiallyDeferred, sql) => {
    const fk = { name: 'k', column: 'contact_id', parent: { schema: 'public', name: 'contacts' }, parentKey: 'id', onDelete, onUpdate, deferrable, initiallyDeferred, match: 'full' as const, manifestPath: '' };
    expect(foreignKeyBehaviour(fk, true)).toBe(sql);
    // The single-column form keeps MATCH FULL and names no column.
    expect(foreignKeyBehaviour(fk, false)).toBe(` MATCH FULL${sql.replace(' (contact_id)', '')}`.trimEnd());
  });

  it('refuses ON UPDATE SET NULL on a composite key, with its position', () => {
    expect(
      problems(`${HEAD}  deals:
    backfill: contact_id -> contacts
    foreign_keys:
      contact_id: { references: contacts, on_update: set_null }
`),
    ).toEqual([
      'policies.yaml:16:54 error[manifest/composite-update-action] tables.deals.foreign_keys.contact_id.on_update: on_update: set_null cannot be kept by the composite (tenant, contact_id) key: PostgreSQL would null the tenant column too (a column list exists only for ON DELETE)\n  help: set `composite: false` on this key (it stays single-column: lint reports it), or choose on_update: cascade, restrict or no_action',
    ]);
  });

  it('accepts ON UPDATE SET NULL on a key that stays single-column', () => {
    expect(keys(`  deals:\n    backfill: contact_id -> contacts\n    foreign_keys:\n      contact_id: { references: contacts, on_update: set_null, composite: false }\n`)?.[0]?.onUpdate).toBe('set_null');
  });

  it('refuses initially_deferred without deferrable', () => {
    expect(problems(`${HEAD}  deals:\n    foreign_keys:\n      contact_id: { references: contacts, initially_deferred: true }\n`).map((p) => p.split(' ')[1])).toEqual([
      'error[manifest/deferred-not-deferrable]',
    ]);
  });
});

describe('keys into shared tables', () => {
  const shared = `${HEAD}  templates: { mode: shared }
  deals:
    existing_column: uuid
`;
  it('are guarded by a trigger, not made composite; composite: false opts out', () => {
    const keys = model(`${shared}    foreign_keys: { template_id: templates, contact_id: contacts }\n`).tables.find((t) => t.key === 'deals')?.foreignKeys;
    expect(keys?.map((k) => [k.column, k.composite, k.guarded === true])).toEqual([
      ['template_id', false, true],
      ['contact_id', true, false],
    ]);
    const plain = model(`${shared}    foreign_keys: { template_id: { references: templates, composite: false } }\n`).tables.find((t) => t.key === 'deals')?.foreignKeys;
    expect(plain?.map((k) => k.guarded === true)).toEqual([false]);
  });

  it('refuses a deferrable one: the trigger checks at once', () => {
    expect(problems(`${shared}    foreign_keys: { template_id: { references: templates, deferrable: true } }\n`).map((p) => p.split('\n')[0])).toEqual([
      'policies.yaml:16:71 error[manifest/deferrable-shared-reference] tables.deals.foreign_keys.template_id.deferrable: foreign key template_id references the shared table templates: rlsgen checks such a key row by row with a trigger, at once, which a deferred key would not be',
    ]);
  });
});

describe('partitions and inheritance children', () => {
  const yaml = `${HEAD}  calls:
    backfill: contact_id -> contacts
    partition_key: [started_at]
    partitions:
      calls_2024:
      calls_2025: { partitions: [calls_2025_h1, calls_2025_h2] }
      archive.calls_old:
  notes:
    backfill: contact_id -> contacts
    children: [notes_archived]
`;

  it('lists every partition in tree order, with its parent', () => {
    const m = model(yaml);
    const calls = m.tables.find((t) => t.key === 'calls');
    expect(calls?.partitioning).toBe('partitioned');
    expect(calls?.partitionKey).toEqual(['started_at']);
    expect(calls?.partitions).toEqual([
      { name: { schema: 'public', name: 'calls_2024' }, parent: { schema: 'public', name: 'calls' }, partitioned: false },
      { name: { schema: 'public', name: 'calls_2025' }, parent: { schema: 'public', name: 'calls' }, partitioned: true },
      { name: { schema: 'public', name: 'calls_2025_h1' }, parent: { schema: 'public', name: 'calls_2025' }, partitioned: false },
      { name: { schema: 'public', name: 'calls_2025_h2' }, parent: { schema: 'public', name: 'calls_2025' }, partitioned: false },
      { name: { schema: 'archive', name: 'calls_old' }, parent: { schema: 'public', name: 'calls' }, partitioned: false },
    ]);
    expect(m.tables.find((t) => t.key === 'notes')?.partitioning).toBe('inheritance');
  });

  it('plans one concurrent index per leaf partition, then the attach; one per inheritance child', () => {
    const planned = planTenancy(null, model(yaml));
    if (!planned.ok) throw new Error(planned.problems.join());
    const slugs = planned.plan.steps.map((s) => s.slug).filter((s) => /index/.test(s));
    expect(slugs).toEqual([
      'tenant_index_contacts',
      'partition_index_calls_2024',
      'partition_index_calls_2025_h1',
      'partition_index_calls_2025_h2',
      'partition_index_archive_calls_old',
      'attach_tenant_index_calls',
      'tenant_index_notes',
      'partition_index_notes_archived',
    ]);
    expect(planned.plan.steps.filter((s) => s.step.kind === 'partition-index').every((s) => !s.transactional)).toBe(true);
  });

  it('a partitioned table that composite keys reference: unique on (tenant, key, partition key) on each leaf and ON ONLY the parent', () => {
    const planned = planTenancy(
      null,
      model(`${HEAD}  events:
    backfill: contact_id -> contacts
    partition_key: [company_id]
    partitions: [events_p0, events_p1]
  event_items:
    backfill: event_id -> events
    foreign_keys: { event_id: events }
`),
    );
    if (!planned.ok) throw new Error(planned.problems.join());
    const files = renderPlan(planned.plan, createTemplateEnv(readTemplates(null)), 1);
    const up = (slug: string): string => files.find((f) => f.fileName.endsWith(`_${slug}.sql`))?.up ?? '';
    expect(up('partition_index_events_p0')).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS events_p0_company_id_id_key\n  ON public.events_p0 (company_id, id);');
    expect(up('attach_tenant_index_events')).toContain('CREATE UNIQUE INDEX IF NOT EXISTS events_company_id_id_key ON ONLY public.events (company_id, id);');
    expect(up('add_tenant_column_events')).toContain('which the unique tenant index must include');
    expect(up('tenant_index_event_items')).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS event_items_company_id_tenant_idx\n  ON public.event_items (company_id);');
  });

  it('a partition added later gets a migration of its own', () => {
    const before = model(yaml);
    const after = model(yaml.replace('      calls_2024:\n', '      calls_2024:\n      calls_2026:\n').replace('[notes_archived]', '[notes_archived, notes_2026]'));
    const planned = planTenancy(before, after);
    if (!planned.ok) throw new Error(planned.problems.join());
    expect(planned.plan.steps.map((s) => s.slug)).toEqual(['partition_index_notes_2026', 'secure_partitions_calls', 'secure_partitions_notes']);
  });

  it('reports partitions declared twice or as tables, and composite keys to a table partitioned by another column', () => {
    expect(
      problems(`${yaml}  calls_2024: { mode: exempt, reason: r }
  events:
    children: [notes_archived]
  deals:
    backfill: contact_id -> contacts
    foreign_keys: { call_id: calls }
`).map((p) => p.split('\n')[0]),
    ).toEqual([
      'policies.yaml:17:7 error[manifest/partition-declared-as-table] tables.calls.partitions.calls_2024: public.calls_2024 is declared under tables: and as a partition of calls',
      'policies.yaml:25:16 error[manifest/duplicate-partition] tables.events.children[0]: public.notes_archived is already listed under notes',
      'policies.yaml:28:30 error[manifest/composite-partitioned-target] tables.deals.foreign_keys.call_id: calls is partitioned by started_at: PostgreSQL allows no unique key on (company_id, id) there, so no composite key can reference it',
    ]);
  });
});
