import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { tempDir } from '../helpers/temp.js';

const BASE = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: app } }
tables:
  companies: { mode: exempt, reason: tenant table, commands: [select] }
  users: { mode: exempt, reason: sign-in, existing_column: uuid }
  contacts: { backfill: owner_id -> users }
  deals:
    backfill: owner_id -> users
    foreign_keys: { contact_id: contacts }
`;

function workspace(manifest: string): { dir: string; manifest: string; out: string; write(text: string): void } {
  const dir = tempDir('inc');
  const path = join(dir, 'policies.yaml');
  writeFileSync(path, manifest);
  return { dir, manifest: path, out: join(dir, 'generated-sql'), write: (text) => writeFileSync(path, text) };
}

const sqlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();

describe('incremental generation', () => {
  it('writes only the difference, never touching existing files', () => {
    const ws = workspace(BASE);
    const first = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(first.kind).toBe('written');
    const before = new Map(sqlFiles(ws.out).map((f) => [f, readFileSync(join(ws.out, f), 'utf8')]));
    expect(before.size).toBe(21);

    // A table added.
    ws.write(`${BASE}  calls: { backfill: user_id -> users }\n`);
    expect(generateMigrations({ manifestPath: ws.manifest, outDir: ws.out, check: true }).kind).toBe('pending');
    const added = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(added.kind === 'written' && added.files.map((f) => f.fileName)).toEqual([
      '0022_add_tenant_column_calls.sql',
      '0023_backfill_calls.sql',
      '0024_vacuum_calls.sql',
      '0025_tenant_index_calls.sql',
      '0026_require_tenant_calls.sql',
      '0027_validate_tenant_calls.sql',
      '0028_set_not_null_calls.sql',
      '0029_enable_policies_calls.sql',
    ]);
    for (const [name, text] of before) expect(readFileSync(join(ws.out, name), 'utf8')).toBe(text);
    expect(generateMigrations({ manifestPath: ws.manifest, outDir: ws.out, check: true }).kind).toBe('up-to-date');

    // A mode changed.
    ws.write(`${BASE.replace('contacts: { backfill', 'contacts: { mode: shared, backfill')}  calls: { backfill: user_id -> users }\n`);
    const changed = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(changed.kind === 'written' && changed.files.map((f) => f.fileName)).toEqual([
      '0030_drop_composite_foreign_keys_deals.sql',
      // deals.contact_id now points into a shared table: single-column, kept within the row's tenant by a trigger.
      '0031_add_reference_guards_deals.sql',
      '0032_validate_reference_guards_deals.sql',
      '0033_drop_not_null_contacts.sql',
      '0034_replace_policies_contacts.sql',
    ]);
    const replaced = readFileSync(join(ws.out, '0034_replace_policies_contacts.sql'), 'utf8');
    expect(replaced).toContain('DROP POLICY IF EXISTS rlsgen_tenant_select ON public.contacts;');
    expect(replaced).toContain('OR company_id IS NULL');

    // A table removed.
    ws.write(`${BASE.replace('contacts: { backfill', 'contacts: { mode: shared, backfill').replace(/  deals:[\s\S]*$/, '')}  calls: { backfill: user_id -> users }\n`);
    const removed = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(removed.kind === 'written' && removed.files.map((f) => f.fileName)).toEqual(['0035_drop_reference_guards_deals.sql', '0036_remove_policies_deals.sql']);
    const text = readFileSync(join(ws.out, '0036_remove_policies_deals.sql'), 'utf8');
    expect(text).toContain('ALTER TABLE public.deals DISABLE ROW LEVEL SECURITY;');
    expect(text).toContain('removed from the manifest');
    expect(sqlFiles(join(ws.out, 'down'))).toHaveLength(36);
  });

  it('records which tenant indexes are unique, and reads a state file without the record as all unique', () => {
    const ws = workspace(BASE);
    expect(generateMigrations({ manifestPath: ws.manifest, outDir: ws.out }).kind).toBe('written');
    const statePath = join(ws.out, 'rlsgen.state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { uniqueTenantIndexes?: string[] };
    expect(state.uniqueTenantIndexes).toEqual(['public.contacts']);
    expect(readdirSync(ws.out).filter((f) => f.includes('tenant_index'))).toEqual(['0008_tenant_index_contacts.sql', '0009_tenant_index_deals.sql']);
    expect(readFileSync(join(ws.out, '0009_tenant_index_deals.sql'), 'utf8')).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS deals_company_id_tenant_idx\n  ON public.deals (company_id);');

    // A new table's composite key makes deals a parent: its unique index is built in the prepare stage.
    const withCalls = `${BASE}  calls:\n    backfill: user_id -> users\n    foreign_keys: { deal_id: deals }\n`;
    const copy = join(ws.dir, 'copy');
    cpSync(ws.out, copy, { recursive: true });
    ws.write(withCalls);
    const parent = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    const names = parent.kind === 'written' ? parent.files.map((f) => f.fileName) : [];
    expect(names.filter((n) => n.includes('tenant_index'))).toEqual(['0025_tenant_index_calls.sql', '0026_tenant_index_deals_2.sql', '0027_drop_plain_tenant_index_deals.sql']);
    expect(readFileSync(join(ws.out, '0026_tenant_index_deals_2.sql'), 'utf8')).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS deals_company_id_id_key\n  ON public.deals (company_id, id);');
    // ... and the plain one goes, concurrently; its rollback builds it again.
    expect(readFileSync(join(ws.out, '0027_drop_plain_tenant_index_deals.sql'), 'utf8')).toContain('DROP INDEX CONCURRENTLY IF EXISTS public.deals_company_id_tenant_idx;');
    expect(readFileSync(join(ws.out, 'down', '0027_drop_plain_tenant_index_deals.down.sql'), 'utf8')).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS deals_company_id_tenant_idx\n  ON public.deals (company_id);');

    // The same over a state file written when every tenant index was unique: deals has its unique index already.
    const older = JSON.parse(readFileSync(join(copy, 'rlsgen.state.json'), 'utf8')) as Record<string, unknown>;
    delete older.uniqueTenantIndexes;
    writeFileSync(join(copy, 'rlsgen.state.json'), `${JSON.stringify(older, null, 2)}\n`);
    const fromOlder = generateMigrations({ manifestPath: ws.manifest, outDir: copy });
    expect(fromOlder.kind === 'written' && fromOlder.files.map((f) => f.fileName).filter((n) => n.includes('tenant_index'))).toEqual(['0025_tenant_index_calls.sql']);
  });

  it('refuses to go on when a generated file was edited', () => {
    const ws = workspace(BASE);
    generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    appendFileSync(join(ws.out, '0002_add_tenant_column_contacts.sql'), '-- edited\n');
    const result = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out, check: true });
    expect(result.kind).toBe('refused');
    expect(result.kind === 'refused' && result.problems[0]).toMatch(/0002_add_tenant_column_contacts\.sql changed since it was generated/);
  });

  it('writes nothing when the manifest is invalid', () => {
    const ws = workspace(BASE.replace('owner_id -> users }', 'owner_id -> user }'));
    const result = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(result.kind).toBe('invalid-manifest');
    expect(() => readdirSync(ws.out)).toThrow();
  });

  it('writes nothing when a template override fails, and says where in it', () => {
    const ws = workspace(BASE.replace('tables:', 'templates: tpl\ntables:'));
    const tpl = join(ws.dir, 'tpl');
    mkdirSync(tpl);
    writeFileSync(join(tpl, 'enable-policies.sql.hbs'), '-- ok\n  {{no_such_field}}');
    const result = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(result.kind).toBe('invalid-manifest');
    expect(result.diagnostics.map((d) => [d.file.endsWith(join('tpl', 'enable-policies.sql.hbs')), d.line, d.column, d.code, d.message])).toEqual([
      [true, 2, 5, 'template/render', '"no_such_field" is not a field rlsgen gives this template'],
    ]);
    expect(() => readdirSync(ws.out)).toThrow();
  });
});

describe('a generation that replaces an enforce stage that never completed', () => {
  it('plans its enforce stage from what is enforced, names the files it replaces, and keeps the files', () => {
    const ws = workspace(BASE);
    const first = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    if (first.kind !== 'written') throw new Error(first.kind);
    const replaced = first.files.filter((f) => f.stage === 'enforce').map((f) => f.fileName);
    expect(replaced.some((f) => f.includes('_add_composite_foreign_keys_deals'))).toBe(true);
    const before = new Map(sqlFiles(ws.out).map((f) => [f, readFileSync(join(ws.out, f), 'utf8')]));

    // The fix: the key stays single-column.
    ws.write(BASE.replace('foreign_keys: { contact_id: contacts }', 'foreign_keys: { contact_id: { references: contacts, composite: false } }'));
    const next = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out, replaceEnforce: true });
    if (next.kind !== 'written') throw new Error(next.kind);
    // No drop of a composite key the replaced stage never added: the enforce stage starts from nothing enforced.
    expect(next.files.map((f) => f.step)).not.toContain('drop-composite-foreign-keys');
    expect(next.files.map((f) => f.step)).not.toContain('add-composite-foreign-keys');
    expect(next.files.filter((f) => f.step === 'enable-policies').length).toBe(2);
    const carrier = next.files.find((f) => f.up.includes('"supersedes"'));
    expect(carrier?.stage).toBe('enforce');
    expect(JSON.parse(carrier?.up.split('\n')[0]?.replace('-- rlsgen: ', '') ?? '{}').supersedes).toEqual(replaced);
    for (const [name, text] of before) expect(readFileSync(join(ws.out, name), 'utf8')).toBe(text);

    // A second replacement replaces both enforce stages, still planned from nothing enforced.
    ws.write(BASE);
    const again = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out, replaceEnforce: true });
    if (again.kind !== 'written') throw new Error(again.kind);
    expect(again.files.map((f) => f.step)).toContain('add-composite-foreign-keys');
    const names = JSON.parse(again.files.find((f) => f.up.includes('"supersedes"'))?.up.split('\n')[0]?.replace('-- rlsgen: ', '') ?? '{}').supersedes as string[];
    expect(names).toEqual([...replaced, ...next.files.filter((f) => f.stage === 'enforce').map((f) => f.fileName)]);
  });

  it('refuses without an enforce stage to replace', () => {
    const ws = workspace(BASE);
    expect(generateMigrations({ manifestPath: ws.manifest, outDir: ws.out, replaceEnforce: true })).toMatchObject({
      kind: 'refused',
      problems: ['--replace-enforce: nothing was generated yet, so there is no enforce stage to replace'],
    });
  });
});
