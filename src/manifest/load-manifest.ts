import { LineCounter, parseDocument } from 'yaml';
import { checkShape } from './check-shape.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostic.js';
import type { Model, Target } from './model.js';
import type { RawManifest } from './raw-manifest.js';
import { Reporter } from './report.js';
import type { ManifestSection, SectionInput } from './section.js';
import { readDefaults } from './sections/defaults.js';
import { SECTIONS } from './sections/registry.js';
import { LIMITS, type ManifestLimits } from './limits.js';
import { SourceMap } from './source-map.js';
import { checkText, type TextProblem } from './text-limits.js';
import { yamlData } from './yaml-data.js';
import { TableIndex } from './table-index.js';

export type LoadResult =
  | { readonly ok: true; readonly model: Model; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface ManifestOverrides {
  /** `--target`: replaces the manifest's `target` (checked as if written there). */
  readonly target?: Target;
  /** Tighter (or looser) bounds than limits.ts, for tests and for embedding rlsgen. */
  readonly limits?: Partial<ManifestLimits>;
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
  const limits: ManifestLimits = { ...LIMITS, ...overrides.limits };
  const lines = new LineCounter();
  const fail = (problems: readonly TextProblem[], map?: SourceMap): LoadResult => ({ ok: false, diagnostics: problems.map((p) => textDiagnostic(p, file, map, lines)) });
  const tooBig = checkText(text, limits);
  if (tooBig !== null) {
    // Nothing parsed: count lines up to the offset only.
    lines.addNewLine(0);
    for (let at = text.indexOf('\n'); at >= 0 && at < tooBig.offset; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
    return fail([tooBig]);
  }
  // Duplicate keys are found by yamlData, in linear time (the parser's own check is quadratic).
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const pos = lines.linePos(error.pos[0]);
    diagnostics.push({ code: 'manifest/yaml-syntax', severity: 'error', file, line: pos.line, column: pos.col, path: '', message: error.message.split('\n')[0] ?? error.message });
  }
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };

  const converted = yamlData(doc, limits);
  const map = new SourceMap(doc, lines, converted.aliases);
  if (converted.problems.length > 0) return fail(converted.problems, map);
  const data = converted.data;
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
  const report = new Reporter(file, map);
  const tables = Object.keys(raw.tables).length;
  if (tables > limits.tables) {
    report.error([], 'too-many-tables', `${tables.toLocaleString('en-US')} tables; the limit is ${limits.tables.toLocaleString('en-US')}`, {}, 'tables');
    return { ok: false, diagnostics: report.diagnostics };
  }
  return buildModel(overrides.target === undefined ? raw : { ...raw, target: overrides.target }, report);
}

function textDiagnostic(problem: TextProblem, file: string, map: SourceMap | undefined, lines: LineCounter): Diagnostic {
  const pos = map?.locate(problem.offset) ?? { line: lines.linePos(problem.offset).line, column: lines.linePos(problem.offset).col };
  return {
    code: `manifest/${problem.code}`,
    severity: 'error',
    file,
    line: pos.line,
    column: pos.column,
    path: '',
    message: problem.message,
    ...(problem.help === undefined ? {} : { help: problem.help }),
  };
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
