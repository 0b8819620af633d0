import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { planTenancy } from '../../src/plan/plan-tenancy.js';
import { DISABLE_TRANSACTION_MARKER, readFileMeta, renderPlan } from '../../src/render/render-plan.js';
import { createTemplateEnv } from '../../src/render/template-env.js';
import { readTemplates } from '../../src/write/read-templates.js';
import { generateTree } from '../helpers/generate.js';
import { expectGolden, readTree } from '../helpers/golden.js';

function renderManifest(path: string, templates = readTemplates(null)) {
  const loaded = loadManifest(readFileSync(path, 'utf8'), path);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const planned = planTenancy(null, loaded.model);
  if (!planned.ok) throw new Error(planned.problems.join('\n'));
  return renderPlan(planned.plan, createTemplateEnv(templates), 1);
}

describe('golden SQL', () => {
  it('generated-sql/ is exactly what policies.yaml generates', () => {
    const { result, files } = generateTree('policies.yaml');
    expect(result.kind).toBe('written');
    expectGolden('generated-sql', files);
  });

  it.each(['quoting', 'modes', 'signed', 'citus', 'reach'])('%s manifest', (name) => {
    const { result, files } = generateTree(`test/golden/${name}/policies.yaml`);
    expect(result.kind).toBe('written');
    expectGolden(`test/golden/${name}/expected`, files);
  });

  it('partitioned-crm fixture: partitions, inheritance, every key action', () => {
    const { result, files } = generateTree('test/fixtures/partitioned-crm/policies.yaml');
    expect(result.kind).toBe('written');
    expectGolden('test/fixtures/partitioned-crm/expected', files);
  });

  it('is deterministic: same manifest, same bytes', () => {
    const a = renderManifest('policies.yaml');
    const b = renderManifest('policies.yaml');
    expect(a).toEqual(b);
  });
});

describe('migration files', () => {
  const files = renderManifest('policies.yaml');

  it('marks exactly the non-transactional files for postgres-migrations', () => {
    for (const file of files) {
      const marked = file.up.includes(DISABLE_TRANSACTION_MARKER);
      expect(marked, file.fileName).toBe(!file.transactional);
      expect(['tenant-index', 'partition-index', 'backfill', 'vacuum'].includes(file.step), file.fileName).toBe(!file.transactional);
    }
  });

  it('keeps each non-transactional file to one statement (PostgreSQL runs a multi-statement string as one transaction)', () => {
    for (const file of files.filter((f) => !f.transactional)) {
      const code = file.up
        .split('\n')
        .filter((l) => !l.startsWith('--'))
        .join('\n');
      expect(code.split(';').filter((s) => s.trim() !== '').length, file.fileName).toBe(1);
    }
  });

  it('starts every file with its metadata and a comment saying what it does and which locks it takes', () => {
    for (const file of files) {
      expect(readFileMeta(file.up)?.step, file.fileName).toBe(file.step);
      expect(file.up, file.fileName).toMatch(/Locks: /);
    }
  });

  it('sets lock_timeout in every transactional file', () => {
    for (const file of files.filter((f) => f.transactional)) {
      expect(file.up, file.fileName).toContain("SET LOCAL lock_timeout = '2s';");
    }
  });

  it('puts every prepare step before every enforce step', () => {
    const stages = files.map((f) => f.stage);
    expect(stages.lastIndexOf('prepare')).toBeLessThan(stages.indexOf('enforce'));
  });

  it('says why each exempt table is exempt', () => {
    const exempt = files.find((f) => f.step === 'exempt-tables');
    expect(exempt?.up).toContain('--   public.roles: the three role names (user, admin, super_admin), identical for every company');
  });
});

describe('templates', () => {
  it('refuse to print a name without a quoting helper', () => {
    const templates = readTemplates(null);
    templates.set('add-tenant-column', 'ALTER TABLE {{table.name}} ADD COLUMN x int;');
    expect(() => renderManifest('policies.yaml', templates)).toThrow(/printed a ident value without \{\{ident/);
  });

  it('refuse a quoting helper of the wrong kind', () => {
    const templates = readTemplates(null);
    templates.set('add-tenant-column', 'SELECT {{literal table.name}};');
    expect(() => renderManifest('policies.yaml', templates)).toThrow(/used \{\{literal\}\} on a ident value/);
  });

  it('can be overridden from the manifest\'s template folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlsgen-tpl-'));
    mkdirSync(join(dir, 'sql'));
    writeFileSync(join(dir, 'sql', 'exempt-tables.sql.hbs'), '-- our exempt tables\n-- Locks: none\nSELECT 1;\n');
    const manifest = readFileSync('policies.yaml', 'utf8').replace('tables:\n', 'templates: sql\ntables:\n');
    writeFileSync(join(dir, 'policies.yaml'), manifest);
    const { files } = generateTree(join(dir, 'policies.yaml'));
    const exempt = [...files.entries()].find(([name]) => name.endsWith('_exempt_tables.sql'));
    expect(exempt?.[1]).toContain('-- our exempt tables');
  });

  it('reject an override that replaces nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlsgen-tpl-'));
    writeFileSync(join(dir, 'exempt-tabels.sql.hbs'), 'SELECT 1;');
    expect(() => readTemplates(dir)).toThrow(/exempt-tabels\.sql\.hbs overrides no built-in template/);
  });
});

describe('readTree helper', () => {
  it('reads nothing from a missing folder', () => {
    expect(readTree('/nonexistent-rlsgen').size).toBe(0);
  });
});
