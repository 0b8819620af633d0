import { LineCounter, parseDocument } from 'yaml';
import { checkShape } from './check-shape.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostic.js';
import type { Model, Target } from './model.js';
import type { RawManifest } from './raw-manifest.js';
import { Reporter } from './report.js';
import type { ManifestSection, SectionInput } from './section.js';
import { readDefaults } from './sections/defaults.js';
import { SECTIONS } from './sections/registry.js';
import { SourceMap } from './source-map.js';
import { TableIndex } from './table-index.js';

export type LoadResult =
  | { readonly ok: true; readonly model: Model; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface ManifestOverrides {
  /** `--target`: replaces the manifest's `target` (checked as if written there). */
  readonly target?: Target;
}

/**
 * Parses and validates a manifest. Pure: the caller reads the file and passes
 * its text and the name to report. Every problem is collected and returned
 * with its position; the model is returned only when there is no error.
 */
export function loadManifest(text: string, file: string, overrides: ManifestOverrides = {}): LoadResult {
  const result = parseAndCheck(text, file, overrides);
  return { ...result, diagnostics: sortDiagnostics(result.diagnostics) };
}

function parseAndCheck(text: string, file: string, overrides: ManifestOverrides): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const map = new SourceMap(doc, lines);
  const diagnostics: Diagnostic[] = [];

  for (const error of doc.errors) {
    const pos = lines.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    diagnostics.push({
      code: duplicate ? 'manifest/duplicate-key' : 'manifest/yaml-syntax',
      severity: 'error',
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: duplicate ? 'this key appears twice in the same mapping' : (error.message.split('\n')[0] ?? error.message),
    });
  }
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };

  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    return {
      ok: false,
      diagnostics: [
        { code: 'manifest/empty', severity: 'error', file, line: 1, column: 1, path: '', message: 'the manifest is empty' },
      ],
    };
  }
  const shape = checkShape(data, file, map);
  if (shape.length > 0) return { ok: false, diagnostics: shape };
  const raw = data as RawManifest;
  return buildModel(overrides.target === undefined ? raw : { ...raw, target: overrides.target }, new Reporter(file, map));
}

/** Runs every section of sections/registry.ts; a section another one reads is built first. */
function buildModel(raw: RawManifest, report: Reporter): LoadResult {
  const defaults = readDefaults(raw, report);
  const tables = TableIndex.build(raw, defaults, report);
  const done = new Map<keyof Model, unknown>();
  const building = new Set<keyof Model>();
  const byKey = new Map<keyof Model, ManifestSection<keyof Model>>(SECTIONS.map((s) => [s.key, s]));
  const input: SectionInput = {
    raw,
    report,
    defaults,
    tables,
    built: <K extends keyof Model>(key: K): Model[K] => {
      if (!done.has(key)) {
        const definition = byKey.get(key);
        if (definition === undefined || building.has(key)) throw new Error(`internal: manifest section ${key} is ${definition === undefined ? 'not registered' : 'read while it is built'}`);
        building.add(key);
        done.set(key, definition.build(input));
        building.delete(key);
      }
      return done.get(key) as Model[K];
    },
  };
  // The model's fields in registry order: the state file's JSON keeps that order.
  const model = Object.fromEntries(SECTIONS.map((s) => [s.key, input.built(s.key)])) as unknown as Model;
  if (hasErrors(report.diagnostics)) return { ok: false, diagnostics: report.diagnostics };
  return { ok: true, model, diagnostics: report.diagnostics };
}
