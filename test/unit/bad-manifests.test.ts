import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/manifest/diagnostic.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { loadManifestFile } from '../../src/write/load-manifest-file.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

/**
 * The bad-manifest corpus (test/fixtures/bad-manifests: mutations of the
 * project's manifest, written by make-corpus.mjs). Each one is validated as
 * `rlsgen validate` does, from a file: it never throws, every error names the
 * file (the manifest or a template) with a line and column inside it, the
 * mutated line when the mutation is sure to be wrong, and nothing a terminal
 * would hide; a manifest that validates generates.
 */
type Piece = string | [string, number];
type Edit =
  | { op: 'delete'; line: number }
  | { op: 'set' | 'insert'; line: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'bytes'; line: number; column: number; hex: string }
  | { op: 'text' | 'append'; text: string }
  | { op: 'replace'; find: string; with: string | Piece[] }
  | { op: 'crlf' | 'bom' | 'folder' };
interface Mutation {
  readonly id: number;
  readonly what: string;
  readonly edits: readonly Edit[];
  readonly at?: number;
  readonly files?: Readonly<Record<string, string>>;
}

const FIXTURES = 'test/fixtures/bad-manifests';
const BASE = readFileSync(join(FIXTURES, 'base.yaml'));
const CORPUS = JSON.parse(readFileSync(join(FIXTURES, 'corpus.json'), 'utf8')) as Mutation[];

const pieces = (value: string | Piece[]): string => (typeof value === 'string' ? value : value.map((p) => (typeof p === 'string' ? p : p[0].repeat(p[1]))).join(''));

/** The manifest's bytes after the edits (null: the manifest is a folder). */
function mutate(edits: readonly Edit[]): Buffer | null {
  let bytes: Buffer = BASE;
  const lines = (): Buffer[] => {
    const out: Buffer[] = [];
    let from = 0;
    for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) {
      out.push(bytes.subarray(from, at));
      from = at + 1;
    }
    out.push(bytes.subarray(from));
    return out;
  };
  const join = (parts: Buffer[]): Buffer => Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('\n'), p])));
  for (const edit of edits) {
    switch (edit.op) {
      case 'delete':
        bytes = join(lines().filter((_, i) => i !== edit.line - 1));
        break;
      case 'set':
        bytes = join(lines().map((l, i) => (i === edit.line - 1 ? Buffer.from(edit.text) : l)));
        break;
      case 'insert': {
        const all = lines();
        all.splice(edit.line - 1, 0, Buffer.from(edit.text));
        bytes = join(all);
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, edit.at);
        break;
      case 'bytes':
        bytes = join(lines().map((l, i) => (i === edit.line - 1 ? Buffer.concat([l.subarray(0, edit.column - 1), Buffer.from(edit.hex, 'hex'), l.subarray(edit.column - 1)]) : l)));
        break;
      case 'text':
        bytes = Buffer.from(edit.text);
        break;
      case 'append':
        bytes = Buffer.concat([bytes, Buffer.from(edit.text)]);
        break;
      case 'replace': {
        const text = bytes.toString('utf8');
        if (!text.includes(edit.find)) throw new Error(`corpus: ${JSON.stringify(edit.find)} is not in the manifest`);
        bytes = Buffer.from(text.replace(edit.find, () => pieces(edit.with)));
        break;
      }
      case 'crlf':
        bytes = Buffer.from(bytes.toString('utf8').replaceAll('\n', '\r\n'));
        break;
      case 'bom':
        bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
        break;
      case 'folder':
        return null;
      default: {
        const never: never = edit;
        throw new Error(`corpus: unknown edit ${JSON.stringify(never)}`);
      }
    }
  }
  return bytes;
}

/** What a terminal hides or reorders: controls other than the line break, bidirectional and zero-width characters. */
const HIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f\u00a0\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufffd]/u;

interface Outcome {
  readonly errors: number;
  readonly generated: boolean;
}

function run(mutation: Mutation): Outcome {
  const dir = tempDir('corpus');
  const manifest = join(dir, 'policies.yaml');
  const bytes = mutate(mutation.edits);
  if (bytes === null) mkdirSync(manifest);
  else writeFileSync(manifest, bytes);
  for (const [path, text] of Object.entries(mutation.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const loaded = loadManifestFile(manifest);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  const lineCount = bytes === null ? 1 : bytes.toString('utf8').split('\n').length;
  const display = relative(process.cwd(), manifest);
  for (const d of loaded.diagnostics) {
    const text = formatDiagnostic(d, { color: false });
    expect(text, 'a message shows nothing a terminal would hide').not.toMatch(HIDDEN);
    expect(d.line, text).toBeGreaterThanOrEqual(1);
    expect(d.column, text).toBeGreaterThanOrEqual(1);
    if (d.file === display) expect(d.line, text).toBeLessThanOrEqual(lineCount);
    else expect(relative(dir, d.file).startsWith('..'), `${text}: names a file of the project`).toBe(false);
  }
  if (mutation.at !== undefined) {
    expect(errors.map((d) => formatDiagnostic(d, { color: false })), `an error at line ${mutation.at}`).toContainEqual(expect.stringMatching(new RegExp(`^[^:]+:${mutation.at}:\\d+ `)));
  }
  if (loaded.ok && errors.length === 0) {
    const generated = generateMigrations({ manifestPath: manifest, outDir: join(dir, 'generated-sql') });
    expect(generated.kind, `${mutation.what}: validate passed, so generate must write`).toBe('written');
    expect(readdirSync(join(dir, 'generated-sql')).length).toBeGreaterThan(0);
    return { errors: 0, generated: true };
  }
  expect(errors.length, 'a manifest that does not load has an error').toBeGreaterThan(0);
  return { errors: errors.length, generated: false };
}

describe('the bad-manifest corpus', () => {
  const outcomes = new Map<number, Outcome>();
  it('has at least 300 mutations', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
  });
  it.each(CORPUS.map((m) => [m.id, m.what, m] as const))('#%i %s', (_id, _what, mutation) => {
    try {
      outcomes.set(mutation.id, run(mutation));
    } finally {
      // Hundreds of generated-sql folders: removed as the corpus goes, not all at the end.
      removeTempDirs();
    }
  }, 30_000);
  it('most mutations are refused; the others generate', () => {
    const refused = [...outcomes.values()].filter((o) => o.errors > 0).length;
    const generated = [...outcomes.values()].filter((o) => o.generated).length;
    expect(outcomes.size).toBe(CORPUS.length);
    expect(refused + generated).toBe(CORPUS.length);
    expect(refused).toBeGreaterThan(CORPUS.length / 2);
  });
});
