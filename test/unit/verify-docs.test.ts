import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBES } from '../../src/verify/registry.js';
import { EXEMPT, HAZARDS } from '../integration/verify-probes.hazards.js';

const files = readdirSync('src/verify/probes').map((f) => f.replace(/\.ts$/, '')).sort();
const pages = readdirSync('docs/verify').map((f) => f.replace(/\.md$/, '')).sort();

describe('verify probes, their files, their docs and the registry agree', () => {
  it('one file per probe, named after its id, all registered once', () => {
    expect(PROBES.map((p) => p.id).sort()).toEqual(files);
    expect(new Set(PROBES.map((p) => p.id)).size).toBe(PROBES.length);
  });

  it('one documentation page per probe, with what it proves, how it works and when it fails', () => {
    expect(pages).toEqual(files);
    for (const probe of PROBES) {
      const page = readFileSync(`docs/verify/${probe.id}.md`, 'utf8');
      expect(page.startsWith(`# ${probe.id}\n`), probe.id).toBe(true);
      expect(page, probe.id).toContain(`**Proves:** ${probe.proves}`);
      for (const heading of ['## How', '## Fails when']) expect(page, `${probe.id} ${heading}`).toContain(heading);
    }
  });

  it('the README lists every probe', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const probe of PROBES) expect(readme, probe.id).toContain(`| [${probe.id}](docs/verify/${probe.id}.md) | ${probe.proves} |`);
  });

  it('every probe has a hazard in test/integration/verify-probes.hazards.ts, or names the test that makes it fail', () => {
    const ids = PROBES.map((p) => p.id).sort();
    const hazards = [...new Set(HAZARDS.map((h) => h.probe))];
    const exempt = EXEMPT.map((e) => e.probe);
    expect([...hazards, ...exempt].sort()).toEqual(ids);
    for (const hazard of HAZARDS) expect(hazard.fails, hazard.probe).toContain(hazard.probe);
    for (const { probe, coveredBy } of EXEMPT) {
      // The covering test's title, as its file spells it with quotes unescaped.
      const source = readFileSync(coveredBy.file, 'utf8').replaceAll("\\'", "'");
      expect(source, `${probe}: ${coveredBy.file}`).toContain(coveredBy.test);
    }
  });
});
