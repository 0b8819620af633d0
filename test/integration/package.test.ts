import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

/**
 * The package as a user gets it: `npm pack`, the tarball installed into an
 * empty project (its dependencies from the registry), the CLI run with
 * `npx rlsgen`, and both entry points imported from ESM and from
 * TypeScript with `--strict` and no `skipLibCheck`.
 */
const repo = process.cwd();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let tarball = '';
let files: string[] = [];
let project = '';

function run(command: string, args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/src/index.js'))) throw new Error('build first: npm run build');
  const packs = tempDir('pack');
  const packed = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], { cwd: repo, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  tarball = join(packs, packed[0]?.filename ?? '');
  files = (packed[0]?.files ?? []).map((f) => f.path);

  project = tempDir('app');
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  // As the README says: a devDependency. Optional dependencies (the embedded
  // server's binaries, testcontainers) are not needed for what this checks.
  const install = run(npm, ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', tarball], project);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
}, 600_000);

describe('the packed package', () => {
  it('ships its license, its templates and schema, and no source map pointing at a file it does not ship', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'package.json', 'README.md', 'dist/src/cli/main.js', 'dist/src/index.d.ts', 'dist/src/runtime/index.d.ts', 'schema/policies.schema.json']));
    expect(files.some((f) => f.startsWith('templates/'))).toBe(true);
    expect(readFileSync(join(repo, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const shipped = new Set(files.map((f) => normalize(f)));
    const dangling: string[] = [];
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(project, 'node_modules/rlsgen', map), 'utf8')) as { sources: string[] };
      for (const source of sources) if (!shipped.has(normalize(join(dirname(map), source)))) dangling.push(`${map} -> ${source}`);
    }
    for (const js of files.filter((f) => f.endsWith('.js'))) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(project, 'node_modules/rlsgen', js), 'utf8'))?.[1];
      if (url !== undefined && !shipped.has(normalize(join(dirname(js), url)))) dangling.push(`${js} -> ${url}`);
    }
    expect(dangling).toEqual([]);
  });

  it('npx rlsgen in the checkout itself, after npm run build (which writes dist afresh)', () => {
    const help = run(npm, ['exec', '--no', '--', 'rlsgen', '--help'], repo);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rlsgen/);
  });

  it('npx rlsgen: --help, then validate and generate the README example manifest', () => {
    const help = run(npm, ['exec', '--no', '--', 'rlsgen', '--help'], project);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rlsgen/);
    cpSync(join(repo, 'examples/manifest/policies.yaml'), join(project, 'policies.yaml'));
    const validate = run(npm, ['exec', '--no', '--', 'rlsgen', 'validate'], project);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const generate = run(npm, ['exec', '--no', '--', 'rlsgen', 'generate'], project);
    expect(generate.code).toBe(0);
    expect(generate.stdout).toMatch(/^wrote \d+ migration\(s\) to generated-sql/);
    expect(readdirSync(join(project, 'generated-sql')).filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(20);
  });

  it('imports rlsgen and rlsgen/runtime from ESM', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      [
        "import * as rlsgen from 'rlsgen';",
        "import * as runtime from 'rlsgen/runtime';",
        "import schema from 'rlsgen/schema/policies.schema.json' with { type: 'json' };",
        "const api = ['generateMigrations', 'applyMigrations', 'rollbackMigrations', 'verifyIsolation', 'proveIsolation', 'loadManifest', 'planTenancy', 'renderPlan'];",
        "const missing = api.filter((name) => typeof rlsgen[name] !== 'function');",
        "if (typeof runtime.createTenantPool !== 'function' || typeof runtime.withTenant !== 'function') missing.push('runtime');",
        "if (typeof schema !== 'object') missing.push('schema');",
        "console.log(missing.length === 0 ? 'ok' : `missing: ${missing.join(', ')}`);",
        '',
      ].join('\n'),
    );
    const r = run(process.execPath, ['esm.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });

  it('type-checks a TypeScript user of both entry points with --strict and without skipLibCheck', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true }, include: ['*.ts'] }, null, 2)}\n`,
    );
    writeFileSync(
      join(project, 'app.ts'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { generateMigrations, loadManifest, planTenancy, renderPlan, createTemplateEnv, readTemplates, parseConnectionUrl, applyMigrations, type GenerateResult, type Model } from 'rlsgen';",
        "import { createTenantPool, TenantContextError } from 'rlsgen/runtime';",
        "import pg from 'pg';",
        '',
        "const loaded = loadManifest(readFileSync('policies.yaml', 'utf8'), 'policies.yaml');",
        'if (loaded.ok) {',
        '  const model: Model = loaded.model;',
        '  const planned = planTenancy(null, model);',
        '  if (planned.ok) console.log(renderPlan(planned.plan, createTemplateEnv(readTemplates(null)), 1).length);',
        '}',
        "const result: GenerateResult = generateMigrations({ manifestPath: 'policies.yaml', outDir: 'out', check: true });",
        'console.log(result.kind);',
        "export async function migrate(url: string): Promise<number> {",
        "  const applied = await applyMigrations({ connection: parseConnectionUrl(url), dir: 'generated-sql', stage: 'prepare' });",
        '  return applied.applied.length;',
        '}',
        "const tenants = createTenantPool(new pg.Pool(), { type: 'uuid', setting: 'app.company_id' });",
        "export async function deals(companyId: string): Promise<string[]> {",
        '  try {',
        "    return await tenants.withTenant(companyId, async (client) => (await client.query<{ id: string }>('SELECT id FROM deals')).rows.map((r) => r.id));",
        '  } catch (error) {',
        '    if (error instanceof TenantContextError) return [];',
        '    throw error;',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const tsc = resolve(repo, 'node_modules/typescript/bin/tsc');
    const r = run(process.execPath, [tsc, '-p', '.'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
