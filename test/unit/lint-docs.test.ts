import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/lint/registry.js';

const files = readdirSync('src/lint/rules').map((f) => f.replace(/\.ts$/, '')).sort();
const pages = readdirSync('docs/lint').map((f) => f.replace(/\.md$/, '')).sort();

describe('lint rules, their files, their docs and the registry agree', () => {
  it('one file per rule, named after its id, all registered', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual(files);
  });

  it('ids come in families', () => {
    for (const rule of RULES) expect(rule.id).toMatch(/^(require|ban|prefer)-[a-z0-9-]+$/);
  });

  it('one documentation page per rule, with its severity, title, Problem and Solution', () => {
    expect(pages).toEqual(files);
    for (const rule of RULES) {
      const page = readFileSync(`docs/lint/${rule.id}.md`, 'utf8');
      expect(page.startsWith(`# ${rule.id}\n`), rule.id).toBe(true);
      expect(page, rule.id).toContain(`**Severity:** ${rule.severity} · ${rule.title}`);
      for (const heading of ['## Problem', '## Solution', '### Instead of', '### Use']) expect(page, `${rule.id} ${heading}`).toContain(heading);
    }
  });

  it('the README lists every rule', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const rule of RULES) expect(readme, rule.id).toContain(`[${rule.id}](docs/lint/${rule.id}.md)`);
  });

  it('the coverage map names only registered rules, and every pgrls rule', () => {
    const map = readFileSync('docs/lint-coverage.md', 'utf8');
    const ids = new Set(RULES.map((r) => r.id));
    const named = [...map.matchAll(/`((?:require|ban|prefer)-[a-z0-9-]+)`/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
    const rows = new Set([...map.matchAll(/^\| ((?:SEC|PERF|HYG|VIEW)\d{3}) \|/gm)].map((m) => m[1]));
    const pgrls = [
      ...Array.from({ length: 55 }, (_, i) => `SEC${String(i + 1).padStart(3, '0')}`),
      ...Array.from({ length: 5 }, (_, i) => `PERF00${i + 1}`),
      ...Array.from({ length: 4 }, (_, i) => `HYG00${i + 1}`),
      ...Array.from({ length: 4 }, (_, i) => `VIEW00${i + 1}`),
    ];
    expect(pgrls.filter((id) => !rows.has(id))).toEqual([]);
    expect(rows.size).toBe(68);
  });
});
