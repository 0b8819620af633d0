import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMigrations } from '../../src/write/generate-migrations.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'rlsgen-inc-'));
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
      '0031_drop_not_null_contacts.sql',
      '0032_replace_policies_contacts.sql',
    ]);
    const replaced = readFileSync(join(ws.out, '0032_replace_policies_contacts.sql'), 'utf8');
    expect(replaced).toContain('DROP POLICY IF EXISTS rlsgen_tenant_select ON public.contacts;');
    expect(replaced).toContain('OR company_id IS NULL');

    // A table removed.
    ws.write(`${BASE.replace('contacts: { backfill', 'contacts: { mode: shared, backfill').replace(/  deals:[\s\S]*$/, '')}  calls: { backfill: user_id -> users }\n`);
    const removed = generateMigrations({ manifestPath: ws.manifest, outDir: ws.out });
    expect(removed.kind === 'written' && removed.files.map((f) => f.fileName)).toEqual(['0033_remove_policies_deals.sql']);
    const text = readFileSync(join(ws.out, '0033_remove_policies_deals.sql'), 'utf8');
    expect(text).toContain('ALTER TABLE public.deals DISABLE ROW LEVEL SECURITY;');
    expect(text).toContain('removed from the manifest');
    expect(sqlFiles(join(ws.out, 'down'))).toHaveLength(33);
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

  it('writes nothing when a template fails half-way', () => {
    const ws = workspace(BASE.replace('tables:', 'templates: tpl\ntables:'));
    const tpl = join(ws.dir, 'tpl');
    mkdirSync(tpl);
    writeFileSync(join(tpl, 'enable-policies.sql.hbs'), '{{no_such_field}}');
    expect(() => generateMigrations({ manifestPath: ws.manifest, outDir: ws.out })).toThrow(/no_such_field/);
    expect(() => readdirSync(ws.out)).toThrow();
  });
});
