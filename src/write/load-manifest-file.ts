import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../manifest/diagnostic.js';
import { LIMITS } from '../manifest/limits.js';
import { type LoadResult, loadManifest, type ManifestOverrides } from '../manifest/load-manifest.js';
import { locate } from '../manifest/locate.js';
import type { Model } from '../manifest/model.js';
import { didYouMean } from '../manifest/suggest.js';
import { planTenancy } from '../plan/plan-tenancy.js';
import { renderPlan } from '../render/render-plan.js';
import { createTemplateEnv, TemplateError, templateSyntaxError } from '../render/template-env.js';
import { builtInTemplatesFolder, readTemplates, TemplateFolderError, templateFiles } from './read-templates.js';

/** A manifest file as read: its text, or why it has none. */
export type ManifestText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

const fileError = (file: string, code: string, message: string, line = 1, column = 1): Diagnostic => ({ code: `manifest/${code}`, severity: 'error', file, line, column, path: '', message });

/**
 * The text of the manifest at `path`, refused (with a position) when it is a
 * folder, larger than the limit, or not UTF-8: decoded leniently, bytes that
 * are not UTF-8 would become U+FFFD in names and in the generated SQL.
 */
export function readManifestText(path: string, file: string, maxBytes: number = LIMITS.bytes): ManifestText {
  if (!existsSync(path)) return { ok: false, diagnostic: fileError(file, 'not-found', `${file} does not exist`) };
  const stat = statSync(path);
  if (stat.isDirectory()) return { ok: false, diagnostic: fileError(file, 'not-a-file', `${file} is a folder, not a manifest file`) };
  if (stat.size > maxBytes) {
    return { ok: false, diagnostic: fileError(file, 'too-large', `the manifest is ${stat.size.toLocaleString('en-US')} bytes; the limit is ${maxBytes.toLocaleString('en-US')}`) };
  }
  const bytes = readFileSync(path);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at)).replace(/^\ufeff/, '');
    const line = before.split('\n').length;
    const column = [...(before.split('\n').pop() ?? '')].length + 1;
    return { ok: false, diagnostic: fileError(file, 'invalid-utf8', `byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} (offset ${at}) is not valid UTF-8; the manifest must be UTF-8 text`, line, column) };
  }
}

/** Offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes after `lead`, and the range the first of them must fall in (no overlong forms, no surrogates).
    const [count, low, high] = lead >= 0xc2 && lead <= 0xdf ? [1, 0x80, 0xbf]
      : lead === 0xe0 ? [2, 0xa0, 0xbf]
      : lead === 0xed ? [2, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [2, 0x80, 0xbf]
      : lead === 0xf0 ? [3, 0x90, 0xbf]
      : lead === 0xf4 ? [3, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (count === 0) return i;
    for (let k = 1; k <= count; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += count + 1;
  }
  return -1;
}

/**
 * `loadManifest` for a file: the text read as above, then what the model
 * says about other files checked too, so that a manifest `validate` accepts
 * is one `generate` can write: the `templates:` folder lies inside the
 * manifest's folder, exists, overrides only built-in templates, and every
 * override parses and renders.
 */
export function loadManifestFile(path: string, overrides: ManifestOverrides = {}): LoadResult {
  const absolute = resolve(path);
  const file = relative(process.cwd(), absolute) || absolute;
  const read = readManifestText(absolute, file, overrides.limits?.bytes);
  if (!read.ok) return { ok: false, diagnostics: [read.diagnostic] };
  const loaded = loadManifest(read.text, file, overrides);
  if (!loaded.ok || loaded.model.templates === null) return loaded;
  const problems = checkTemplates(loaded.model, absolute, file, read.text);
  return problems.length === 0 ? loaded : { ok: false, diagnostics: [...loaded.diagnostics, ...problems] };
}

/** The override folder of `templates:`, resolved against the manifest's folder. */
export function templatesFolder(model: Model, manifestPath: string): string | null {
  return model.templates === null ? null : resolve(dirname(resolve(manifestPath)), model.templates);
}

function checkTemplates(model: Model, manifestPath: string, file: string, text: string): Diagnostic[] {
  const written = model.templates ?? '';
  const folder = templatesFolder(model, manifestPath) ?? '';
  const at = (): Diagnostic => {
    const pos = locate(text, ['templates']);
    return { code: '', severity: 'error', file, line: pos.line, column: pos.column, path: 'templates', message: '' };
  };
  const fromProject = relative(dirname(manifestPath), folder);
  if (isAbsolute(written) || fromProject === '..' || fromProject.startsWith(`..${sep}`) || isAbsolute(fromProject)) {
    return [{ ...at(), code: 'manifest/templates-outside', message: `${JSON.stringify(written)} is outside the folder of ${file}`, help: 'the templates shape the generated SQL: keep them in the project, next to the manifest, under review with it' }];
  }
  if (!existsSync(folder)) return [{ ...at(), code: 'manifest/templates-missing', message: `the template folder ${JSON.stringify(written)} does not exist`, help: 'create it, or remove `templates:` to use the built-in templates' }];
  if (!statSync(folder).isDirectory()) return [{ ...at(), code: 'manifest/templates-missing', message: `${JSON.stringify(written)} is a file, not a folder of templates` }];
  const display = (p: string): string => relative(process.cwd(), p) || p;
  const overrides = templateFiles(folder);
  let sources: Map<string, string>;
  try {
    sources = readTemplates(folder);
  } catch (error) {
    if (!(error instanceof TemplateFolderError)) throw error;
    const known = [...templateFiles(builtInTemplatesFolder()).keys()];
    const unknown = [...overrides].find(([name]) => !known.includes(name));
    if (unknown === undefined) return [{ ...at(), code: 'template/unknown', message: error.message }];
    return [{ code: 'template/unknown', severity: 'error', file: display(unknown[1]), line: 1, column: 1, path: '', message: `${unknown[0]} overrides no built-in template`, ...(didYouMean(unknown[0], known).help === undefined ? { help: `the names are those of rlsgen's templates/ folder: ${known.filter((n) => !n.includes('/') && !n.endsWith('.down')).join(', ')} (and their .down)` } : didYouMean(unknown[0], known)) }];
  }
  const where = (name: string): string => display(overrides.get(name) ?? join(builtInTemplatesFolder(), `${name}.sql.hbs`));
  const syntax: Diagnostic[] = [];
  for (const name of overrides.keys()) {
    const error = templateSyntaxError(name, sources.get(name) ?? '');
    if (error !== null) syntax.push({ code: 'template/syntax', severity: 'error', file: where(name), line: error.line ?? 1, column: error.column ?? 1, path: '', message: error.message });
  }
  if (syntax.length > 0) return syntax;
  // Strict templates fail on a field they name that rlsgen does not give: render once, in memory.
  const planned = planTenancy(null, model);
  if (!planned.ok) return [];
  try {
    renderPlan(planned.plan, createTemplateEnv(sources), 1);
  } catch (error) {
    if (!(error instanceof TemplateError)) return [{ ...at(), code: 'template/render', message: error instanceof Error ? error.message : String(error) }];
    return [{ code: 'template/render', severity: 'error', file: where(error.template), line: error.line ?? 1, column: error.column ?? 1, path: '', message: error.message }];
  }
  return [];
}
