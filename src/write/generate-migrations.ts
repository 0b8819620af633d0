import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../manifest/diagnostic.js';
import { hasErrors } from '../manifest/diagnostic.js';
import { loadManifest } from '../manifest/load-manifest.js';
import { LATER_MODEL_FIELDS, type Model, type Target } from '../manifest/model.js';
import { planTenancy } from '../plan/plan-tenancy.js';
import { renderPlan, type MigrationFile } from '../render/render-plan.js';
import { createTemplateEnv } from '../render/template-env.js';
import { readTemplates } from './read-templates.js';

export const STATE_FILE = 'rlsgen.state.json';

/** What `generated-sql/rlsgen.state.json` holds: the model generated last and the files written for it. */
export interface GeneratedState {
  readonly format: 1;
  readonly model: Model;
  readonly files: readonly { readonly name: string; readonly sha256: string }[];
}

export interface GenerateOptions {
  readonly manifestPath: string;
  readonly outDir: string;
  /** Report pending changes without writing anything. */
  readonly check?: boolean;
  /** Replaces the manifest's `target` (`--target`). */
  readonly target?: Target;
}

export type GenerateResult =
  | { readonly kind: 'invalid-manifest'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'refused'; readonly problems: readonly string[]; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'up-to-date'; readonly diagnostics: readonly Diagnostic[]; readonly model: Model }
  | { readonly kind: 'pending'; readonly files: readonly MigrationFile[]; readonly diagnostics: readonly Diagnostic[]; readonly model: Model }
  | { readonly kind: 'written'; readonly files: readonly MigrationFile[]; readonly diagnostics: readonly Diagnostic[]; readonly model: Model };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const MIGRATION_NAME = /^(\d+)[-_]?.*\.sql$/i;

export function readState(outDir: string): GeneratedState | null {
  const path = join(outDir, STATE_FILE);
  if (!existsSync(path)) return null;
  const state = JSON.parse(readFileSync(path, 'utf8')) as GeneratedState;
  // A model written before a section existed reads as if the section were empty.
  return { ...state, model: { ...LATER_MODEL_FIELDS, ...state.model } };
}

/** Migration files in the folder, by id. */
export function listMigrationFiles(outDir: string): { id: number; name: string }[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .map((name) => ({ name, match: MIGRATION_NAME.exec(name) }))
    .filter((f) => f.match !== null)
    .map((f) => ({ id: Number(f.match?.[1]), name: f.name }))
    .sort((a, b) => a.id - b.id);
}

function checkIntegrity(outDir: string, state: GeneratedState | null): string[] {
  const problems: string[] = [];
  const present = listMigrationFiles(outDir);
  if (state === null) {
    if (present.length > 0) {
      problems.push(
        `${outDir} holds migrations but no ${STATE_FILE}, so rlsgen cannot tell what they already do (restore the file, or generate into an empty folder)`,
      );
    }
    return problems;
  }
  for (const file of state.files) {
    const path = join(outDir, file.name);
    if (!existsSync(path)) {
      problems.push(`${relative(process.cwd(), path)} was generated before and is missing; applied migrations must stay (restore it from version control)`);
    } else if (sha256(readFileSync(path, 'utf8')) !== file.sha256) {
      problems.push(
        `${relative(process.cwd(), path)} changed since it was generated; postgres-migrations refuses an applied file that changed. Restore it, and put new changes in the manifest instead`,
      );
    }
  }
  return problems;
}

/**
 * The model as the state file keeps it: sections added after the first
 * release are left out while they hold their defaults, so a manifest that
 * does not use them keeps the state file it had (readState puts them back).
 */
function stateModel(model: Model): object {
  const kept: Record<string, unknown> = { ...model };
  for (const [key, value] of Object.entries(LATER_MODEL_FIELDS)) {
    if (JSON.stringify(kept[key]) === JSON.stringify(value)) delete kept[key];
  }
  return kept;
}

/** Writes every file to a staging folder first, then moves them into place; on failure nothing new remains. */
function writeAtomically(outDir: string, files: readonly MigrationFile[], state: GeneratedState): void {
  mkdirSync(join(outDir, 'down'), { recursive: true });
  const stage = join(outDir, `.rlsgen-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(join(stage, 'down'), { recursive: true });
  const moves: { from: string; to: string }[] = [];
  try {
    for (const file of files) {
      writeFileSync(join(stage, file.fileName), file.up);
      writeFileSync(join(stage, file.downFileName), file.down);
      moves.push({ from: join(stage, file.fileName), to: join(outDir, file.fileName) });
      moves.push({ from: join(stage, file.downFileName), to: join(outDir, file.downFileName) });
    }
    writeFileSync(join(stage, STATE_FILE), `${JSON.stringify({ ...state, model: stateModel(state.model) }, null, 2)}\n`);
    for (const move of moves) {
      if (existsSync(move.to)) throw new Error(`${move.to} exists already; refusing to overwrite a migration`);
    }
    const done: string[] = [];
    try {
      for (const move of moves) {
        renameSync(move.from, move.to);
        done.push(move.to);
      }
      renameSync(join(stage, STATE_FILE), join(outDir, STATE_FILE));
    } catch (error) {
      for (const path of done) unlinkSync(path);
      throw error;
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * `rlsgen generate`: reads the manifest and what was generated last, plans
 * the difference and writes it as new numbered migrations. Files already
 * written are never touched. With `check`, reports what would be written.
 */
export function generateMigrations(options: GenerateOptions): GenerateResult {
  const manifestPath = resolve(options.manifestPath);
  const outDir = resolve(options.outDir);
  const text = readFileSync(manifestPath, 'utf8');
  const loaded = loadManifest(text, relative(process.cwd(), manifestPath) || manifestPath, options.target === undefined ? {} : { target: options.target });
  if (!loaded.ok || hasErrors(loaded.diagnostics)) return { kind: 'invalid-manifest', diagnostics: loaded.diagnostics };
  const { model, diagnostics } = loaded;

  const state = readState(outDir);
  const integrity = checkIntegrity(outDir, state);
  if (integrity.length > 0) return { kind: 'refused', problems: integrity, diagnostics };

  const planned = planTenancy(state?.model ?? null, model);
  if (!planned.ok) {
    return {
      kind: 'refused',
      diagnostics,
      problems: [
        ...planned.problems,
        'rlsgen cannot migrate such a change incrementally; start from a new generated-sql folder and a fresh database, or revert the change',
      ],
    };
  }
  if (planned.plan.steps.length === 0) return { kind: 'up-to-date', diagnostics, model };

  const templatesFolder = model.templates === null ? null : resolve(dirname(manifestPath), model.templates);
  const env = createTemplateEnv(readTemplates(templatesFolder));
  const existing = listMigrationFiles(outDir);
  const firstId = (existing[existing.length - 1]?.id ?? 0) + 1;
  const taken = new Set(existing.map((f) => f.name.replace(/^\d+[-_]?/, '').replace(/\.sql$/i, '')));
  const files = renderPlan(planned.plan, env, firstId, taken);
  if (options.check === true) return { kind: 'pending', files, diagnostics, model };

  const newState: GeneratedState = {
    format: 1,
    model,
    files: [...(state?.files ?? []), ...files.map((f) => ({ name: f.fileName, sha256: sha256(f.up) }))],
  };
  writeAtomically(outDir, files, newState);
  return { kind: 'written', files, diagnostics, model };
}
