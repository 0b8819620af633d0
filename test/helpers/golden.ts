import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';

/** Every file under `dir`, by path relative to it. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * Compares generated files with the golden files under `goldenDir`. A
 * missing golden file is written (review it in the diff) except under CI,
 * where it fails: CI must never bless its own output.
 */
export function expectGolden(goldenDir: string, actual: ReadonlyMap<string, string>): void {
  const expected = readTree(goldenDir);
  const ci = process.env['CI'] === 'true' || process.env['CI'] === '1';
  const missing = [...actual.keys()].filter((name) => !expected.has(name));
  if (missing.length > 0) {
    if (ci) throw new Error(`golden files missing under CI (run the tests locally and commit them): ${missing.join(', ')}`);
    for (const name of missing) {
      const path = join(goldenDir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual.get(name) ?? '');
      expected.set(name, actual.get(name) ?? '');
    }
  }
  expect([...actual.keys()].sort(), `files in ${goldenDir}`).toEqual([...expected.keys()].sort());
  for (const [name, text] of actual) expect(text, `${join(goldenDir, name)} differs from the generated file`).toBe(expected.get(name));
}
