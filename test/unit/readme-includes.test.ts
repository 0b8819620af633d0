import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyIncludes, findIncludes } from '../../scripts/readme-includes.js';

const read = (path: string): string => readFileSync(path, 'utf8');

describe('README code blocks included from files', () => {
  it('each marked block is its file (or region) exactly: run `npm run readme` after changing one', () => {
    const includes = findIncludes(read('README.md'), read);
    expect(includes.map((i) => i.source)).toEqual(
      expect.arrayContaining(['examples/fastapi-crm/crm/db.py', 'examples/fastapi-crm/crm/deps.py', 'examples/fastapi-crm/crm/main.py#endpoints']),
    );
    for (const include of includes) expect(include.actual, `README.md:${include.line} (${include.source})`).toBe(include.expected);
  });

  it('a drifted block is found and rewritten; a missing region is an error', () => {
    const files: Record<string, string> = { 'a.py': 'x = 1\n# --8<-- [start:part]\ny = 2\n# --8<-- [end:part]\n' };
    const readme = ['text', '<!-- include: a.py#part -->', '```python', 'y = 3', '```', '<!-- include: a.py -->', '```python', '```', ''].join('\n');
    const includes = findIncludes(readme, (p) => files[p] ?? '');
    expect(includes.map((i) => [i.line, i.actual, i.expected])).toEqual([
      [2, 'y = 3', 'y = 2'],
      [6, '', 'x = 1\n# --8<-- [start:part]\ny = 2\n# --8<-- [end:part]'],
    ]);
    const fixed = applyIncludes(readme, includes);
    expect(findIncludes(fixed, (p) => files[p] ?? '').every((i) => i.actual === i.expected)).toBe(true);
    expect(() => findIncludes('<!-- include: a.py#nope -->\n```\n```', (p) => files[p] ?? '')).toThrow(/no region "nope"/);
  });
});
