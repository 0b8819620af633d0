/**
 * README code blocks that are files of the repository: a block preceded by
 * `<!-- include: path -->` (or `path#name`, the lines between
 * `--8<-- [start:name]` and `--8<-- [end:name]` in that file) must be that
 * text exactly, so the README shows the code the tests run.
 * test/unit/readme-includes.test.ts fails when a block drifts;
 * `npm run readme` rewrites the blocks from the files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface Include {
  /** `path` or `path#region`, as the marker names it. */
  readonly source: string;
  /** 1-based line of the marker in the README. */
  readonly line: number;
  /** Line indexes (0-based) of the block's body: [from, to). */
  readonly body: readonly [number, number];
  readonly actual: string;
  readonly expected: string;
}

const MARKER = /^<!-- include: (\S+) -->$/;

/** The text a marker names: the whole file, or the region between its `--8<--` lines. */
export function includedText(source: string, read: (path: string) => string): string {
  const [path = '', region] = source.split('#');
  const text = read(path).replace(/\n$/, '');
  if (region === undefined) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes(`--8<-- [start:${region}]`));
  const end = lines.findIndex((l) => l.includes(`--8<-- [end:${region}]`));
  if (start < 0 || end < start) throw new Error(`${path}: no region "${region}" (--8<-- [start:${region}] ... [end:${region}])`);
  return lines.slice(start + 1, end).join('\n');
}

/** Every marked block of `readme`, with its text now and the text it must have. */
export function findIncludes(readme: string, read: (path: string) => string): Include[] {
  const lines = readme.split('\n');
  const found: Include[] = [];
  lines.forEach((line, i) => {
    const source = MARKER.exec(line)?.[1];
    if (source === undefined) return;
    if (!(lines[i + 1] ?? '').startsWith('```')) throw new Error(`README.md:${i + 1}: an include marker must be followed by a fenced code block`);
    const close = lines.findIndex((l, j) => j > i + 1 && l === '```');
    if (close < 0) throw new Error(`README.md:${i + 2}: the code block is not closed`);
    found.push({ source, line: i + 1, body: [i + 2, close], actual: lines.slice(i + 2, close).join('\n'), expected: includedText(source, read) });
  });
  return found;
}

/** `readme` with every marked block replaced by the text it must have. */
export function applyIncludes(readme: string, includes: readonly Include[]): string {
  const lines = readme.split('\n');
  for (const include of [...includes].sort((a, b) => b.line - a.line)) {
    lines.splice(include.body[0], include.body[1] - include.body[0], ...include.expected.split('\n'));
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const readme = readFileSync('README.md', 'utf8');
  const includes = findIncludes(readme, (path) => readFileSync(path, 'utf8'));
  writeFileSync('README.md', applyIncludes(readme, includes));
  const changed = includes.filter((i) => i.actual !== i.expected).map((i) => i.source);
  process.stdout.write(changed.length === 0 ? 'README.md: every included block is up to date\n' : `README.md: updated ${changed.join(', ')}\n`);
}
