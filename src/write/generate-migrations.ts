import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../manifest/diagnostic.js';
import { hasErrors } from '../manifest/diagnostic.js';
import { LATER_MODEL_FIELDS, type Model, qualifiedKey, type Target } from '../manifest/model.js';
import { planReplacingEnforce, planTables, planTenancy } from '../plan/plan-tenancy.js';
import { renderPlan, type MigrationFile } from '../render/render-plan.js';
import { createTemplateEnv } from '../render/template-env.js';
import { loadManifestFile, templatesFolder } from './load-manifest-file.js';
import { readTemplates } from './read-templates.js';

export const STATE_FILE = 'rlsgen.state.json';

/** What `generated-sql/rlsgen.state.json` holds: the model generated last and the files written for it. */
export interface GeneratedState {
  readonly format: 1;
  readonly model: Model;
  readonly files: readonly { readonly name: string; readonly sha256: string }[];
  /**
   * The model the enforce-stage files generated last start from: what they
   * take as enforced already (null: nothing). Absent from state files
   * written before it was recorded.
   */
  readonly enforceBase?: Model | null;
  /** Those enforce-stage files (and the ones they replaced): what `--replace-enforce` supersedes. */
  readonly enforceFiles?: readonly string[];
  /**
   * The scoped tables (qualified keys) whose tenant index is unique on
   * (tenant, primary key). Absent from state files written when every tenant
   * index was.
   */
  readonly uniqueTenantIndexes?: readonly string[];
}

export interface GenerateOptions {
  readonly manifestPath: string;
  readonly outDir: string;
  /** Report pending changes without writing anything. */
  readonly check?: boolean;
  /** Replaces the manifest's `target` (`--target`). */
  readonly target?: Target;
  /**
   * The enforce stage generated last never completed on any database (it
   * failed and apply took it back): plan this generation's enforce stage to
   * replace it, instead of following it.
   */
  readonly replaceEnforce?: boolean;
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

/** What `--replace-enforce` replaces: the enforce-stage files generated last, and the models around them. */
function replaceableEnforce(state: GeneratedState | null): { previous: Model; enforced: Model | null; files: readonly string[] } | { problem: string } {
  if (state === null) return { problem: '--replace-enforce: nothing was generated yet, so there is no enforce stage to replace' };
  if (state.enforceBase === undefined || state.enforceFiles === undefined) {
    return { problem: `--replace-enforce: ${STATE_FILE} was written by an earlier rlsgen and does not say which enforce stage was generated last; generate without it` };
  }
  if (state.enforceFiles.length === 0) return { problem: '--replace-enforce: the last generation has no enforce-stage migrations to replace; generate without it' };
  return { previous: state.model, enforced: state.enforceBase, files: state.enforceFiles };
}

/**
 * The enforce stage generated last, after this generation: its own when it
 * has one, else the one before it (still to complete where it has not).
 */
function enforceRecord(
  state: GeneratedState | null,
  replacing: { enforced: Model | null; files: readonly string[] } | null,
  own: readonly string[],
): { enforceBase: Model | null; enforceFiles: readonly string[] } {
  if (replacing !== null) return { enforceBase: replacing.enforced, enforceFiles: [...replacing.files, ...own] };
  if (own.length === 0 && state?.enforceBase !== undefined) return { enforceBase: state.enforceBase, enforceFiles: state.enforceFiles ?? [] };
  return { enforceBase: state?.model ?? null, enforceFiles: own };
}

/** The tables whose unique tenant index earlier generations built: every scoped table of a state written before the index could be plain. */
function builtUniqueIndexes(state: GeneratedState | null): ReadonlySet<string> {
  if (state === null) return new Set();
  if (state.uniqueTenantIndexes !== undefined) return new Set(state.uniqueTenantIndexes);
  return new Set([...planTables(state.model).values()].filter((t) => !t.root).map((t) => qualifiedKey(t.name)));
}

/**
 * `rlsgen generate`: reads the manifest and what was generated last, plans
 * the difference and writes it as new numbered migrations. Files already
 * written are never touched. With `check`, reports what would be written.
 */
export function generateMigrations(options: GenerateOptions): GenerateResult {
  const manifestPath = resolve(options.manifestPath);
  const outDir = resolve(options.outDir);
  const loaded = loadManifestFile(manifestPath, options.target === undefined ? {} : { target: options.target });
  if (!loaded.ok || hasErrors(loaded.diagnostics)) return { kind: 'invalid-manifest', diagnostics: loaded.diagnostics };
  const { model, diagnostics } = loaded;

  const state = readState(outDir);
  const integrity = checkIntegrity(outDir, state);
  if (integrity.length > 0) return { kind: 'refused', problems: integrity, diagnostics };

  const replacing = options.replaceEnforce === true ? replaceableEnforce(state) : null;
  if (replacing !== null && 'problem' in replacing) return { kind: 'refused', diagnostics, problems: [replacing.problem] };
  const built = builtUniqueIndexes(state);
  const planned = replacing === null ? planTenancy(state?.model ?? null, model, built) : planReplacingEnforce(replacing.previous, replacing.enforced, model, built);
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

  const env = createTemplateEnv(readTemplates(templatesFolder(model, manifestPath)));
  const existing = listMigrationFiles(outDir);
  const firstId = (existing[existing.length - 1]?.id ?? 0) + 1;
  const taken = new Set(existing.map((f) => f.name.replace(/^\d+[-_]?/, '').replace(/\.sql$/i, '')));
  const files = renderPlan(planned.plan, env, firstId, taken, replacing?.files ?? []);
  if (options.check === true) return { kind: 'pending', files, diagnostics, model };

  const ownEnforce = files.filter((f) => f.stage === 'enforce').map((f) => f.fileName);
  const newState: GeneratedState = {
    format: 1,
    model,
    files: [...(state?.files ?? []), ...files.map((f) => ({ name: f.fileName, sha256: sha256(f.up) }))],
    ...enforceRecord(state, replacing, ownEnforce),
    uniqueTenantIndexes: planned.plan.uniqueTenantIndexes,
  };
  writeAtomically(outDir, files, newState);
  return { kind: 'written', files, diagnostics, model };
}
