import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/manifest/diagnostic.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { loadManifestFile } from '../../src/write/load-manifest-file.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Input a manifest should never be: too big, too deep, aliases that
 * multiply it, bytes that are not UTF-8, names with characters nobody sees.
 * Each is refused with file:line:column, at once, and the safe forms pass.
 */
const HEAD = `version: 1
tenant: { column: company_id, type: uuid, references: companies(id) }
roles: { app: { name: crm_app } }
tables:
  companies: { mode: exempt, reason: the tenant table }
`;

const lines = (yaml: string, overrides: Parameters<typeof loadManifest>[2] = {}): string[] =>
  loadManifest(yaml, 'policies.yaml', overrides).diagnostics.map((d) => formatDiagnostic(d, { color: false }));

const fileLines = (path: string): string[] => loadManifestFile(path).diagnostics.map((d) => formatDiagnostic(d, { color: false }).replaceAll(relative(process.cwd(), path), 'FILE'));

describe('limits on input size', () => {
  it('an alias bomb is refused at the alias that crosses the limit', () => {
    let yaml = `${HEAD}x: &a0 [a, b, c, d, e, f, g, h, i, j]\n`;
    for (let i = 1; i <= 8; i++) yaml += `x${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
    const out = lines(yaml);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^policies\.yaml:10:45 error\[manifest\/alias-limit\] YAML aliases repeat more than 100,000 nodes/);
  });

  it('a few reused blocks are fine', () => {
    const yaml = `${HEAD}  users: { mode: exempt, reason: sign-in, existing_column: uuid }\n  calls: &scoped { backfill: owner_id -> users }\n  deals: *scoped\n  notes: *scoped\n`;
    expect(lines(yaml)).toEqual([]);
  });

  it('lists nested past the limit are refused before the parser runs out of memory', () => {
    const deep = `${HEAD}  t1: { commands: ${'['.repeat(200_000)}${']'.repeat(200_000)} }\n`;
    expect(lines(deep)).toEqual(['policies.yaml:6:82 error[manifest/too-deep] lists and mappings are nested more than 64 levels deep here\n  help: a manifest needs a few levels; check for unbalanced [ or {']);
    const block = `${HEAD}${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} x\n`;
    expect(lines(block.replace('tables:\n  companies: { mode: exempt, reason: the tenant table }\n', 'tables:\n'))[0]).toMatch(/error\[manifest\/too-deep\]/);
  });

  it('more bytes or tables than the limits allow', () => {
    expect(lines(`${HEAD}  users: { mode: exempt, reason: sign-in }\n`, { limits: { tables: 1 } })).toEqual(['policies.yaml:4:1 error[manifest/too-many-tables] tables: 2 tables; the limit is 1']);
    expect(lines(HEAD, { limits: { bytes: 100 } })).toEqual(['policies.yaml:1:1 error[manifest/too-large] the manifest is 179 bytes; the limit is 100']);
    const dir = tempDir('big');
    const big = join(dir, 'policies.yaml');
    writeFileSync(big, '');
    truncateSync(big, 65 * 1024 * 1024);
    expect(fileLines(big)).toEqual(['FILE:1:1 error[manifest/too-large] the manifest is 68,157,440 bytes; the limit is 67,108,864']);
  });

  it('a duplicate key among thousands is found', () => {
    const tables = Array.from({ length: 3_000 }, (_, i) => `  t${i}: { mode: exempt, reason: r }`).join('\n');
    const out = lines(`${HEAD}${tables}\n  t7: { mode: exempt, reason: again }\n`);
    expect(out).toEqual(['policies.yaml:3006:3 error[manifest/duplicate-key] this key appears twice in the same mapping']);
  });
});

describe('the manifest file', () => {
  it('a folder given as the manifest', () => {
    const dir = tempDir('folder');
    mkdirSync(join(dir, 'policies.yaml'));
    expect(fileLines(join(dir, 'policies.yaml'))).toEqual(['FILE:1:1 error[manifest/not-a-file] FILE is a folder, not a manifest file']);
  });

  it('bytes that are not UTF-8, at their line and column', () => {
    const dir = tempDir('utf8');
    const path = join(dir, 'policies.yaml');
    writeFileSync(path, Buffer.concat([Buffer.from(`${HEAD}  caf\u00e9s: { mode: exempt, reason: ok }\n  ord`), Buffer.from([0xc3, 0x28]), Buffer.from('rs: {}\n')]));
    expect(fileLines(path)).toEqual(['FILE:7:6 error[manifest/invalid-utf8] byte 0xc3 (offset 223) is not valid UTF-8; the manifest must be UTF-8 text']);
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEAD}  caf\u00e9s: { mode: exempt, reason: ok }\n`)]));
    expect(fileLines(path)).toEqual([]);
  });

  it('templates: outside the project, missing, a file', () => {
    const dir = tempDir('templates');
    const path = join(dir, 'policies.yaml');
    const withTemplates = (value: string): string => `${HEAD.replace('tables:', `templates: ${value}\ntables:`)}`;
    writeFileSync(path, withTemplates('../elsewhere'));
    expect(fileLines(path)[0]?.split('\n')[0]).toBe('FILE:4:12 error[manifest/templates-outside] templates: "../elsewhere" is outside the folder of FILE');
    writeFileSync(path, withTemplates('/etc'));
    expect(fileLines(path)[0]).toMatch(/error\[manifest\/templates-outside\]/);
    writeFileSync(path, withTemplates('./sql-templates'));
    expect(fileLines(path)[0]?.split('\n')[0]).toBe('FILE:4:12 error[manifest/templates-missing] templates: the template folder "./sql-templates" does not exist');
    writeFileSync(join(dir, 'sql-templates'), '');
    expect(fileLines(path)[0]?.split('\n')[0]).toBe('FILE:4:12 error[manifest/templates-missing] templates: "./sql-templates" is a file, not a folder of templates');
  });
});

describe('names a reviewer cannot read', () => {
  const table = (name: string): string[] => lines(`${HEAD}  ${JSON.stringify(name)}: { mode: exempt, reason: r }\n`);
  it.each([
    ['a right-to-left override', 'inv\u202eoices', 'U+202E, a bidirectional control character'],
    ['a right-to-left isolate', 'inv\u2067oices', 'U+2067, a bidirectional control character'],
    ['a zero-width space', 'inv\u200boices', 'U+200B, a zero-width character'],
    ['a zero-width joiner', 'inv\u200doices', 'U+200D, a zero-width character'],
    ['a byte-order mark', '\ufeffinvoices', 'U+FEFF, a zero-width character'],
    ['a control character', 'inv\u0007oices', 'U+0007, a control character'],
    ['a tab', 'inv\toices', 'U+0009, a control character'],
    ['NUL', 'inv\u0000oices', 'a NUL character'],
    ['the replacement character', 'inv\ufffdoices', 'U+FFFD, the replacement character'],
    ['a no-break space', 'order\u00a0lines', 'U+00A0, a space or line break other than U+0020'],
    ['a soft hyphen', 'in\u00advoices', 'U+00AD, an invisible formatting character'],
  ])('%s is refused, shown escaped', (_what, name, description) => {
    const out = table(name);
    expect(out[0]).toMatch(/^policies\.yaml:6:3 error\[manifest\/invalid-identifier\] tables\["[^"]*"\]: "[^"]*\\u\{[0-9a-f]+\}[^"]*" contains /);
    expect(out[0]).toContain(description);
    // Nothing hidden reaches the terminal.
    expect(out.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u00a0\u00ad\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffd]/);
  });

  it('in a column of a backfill path and in a reason', () => {
    expect(lines(`${HEAD}  calls: { backfill: "us\u200ber_id -> companies(id)" }\n`)[0]).toMatch(/^policies\.yaml:6:22 error\[manifest\/invalid-identifier\] tables\.calls\.backfill: "us\\u\{200b\}er_id" contains U\+200B/);
    expect(lines(`${HEAD}  users: { mode: exempt, reason: "sign-in \u202eesrever" }\n`)[0]).toMatch(/^policies\.yaml:6:34 error\[manifest\/invalid-text\] tables\.users\.reason: the text contains U\+202E/);
  });

  it('names PostgreSQL users write are fine: accents, other scripts, emoji, spaces, quotes', () => {
    for (const name of ['cafés', '注文', 'kunden_übersicht', 'orders 🧾', 'Order Lines', 'say "hi"', 'naïve', 'שורות']) expect(table(name), name).toEqual([]);
  });
});
