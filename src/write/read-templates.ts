import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './package-root.js';

const SUFFIXES = ['.sql.hbs', '.hbs'];

/** The `.sql.hbs` files of a folder by template name, with their paths. */
export function templateFiles(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const suffix = SUFFIXES.find((s) => entry.endsWith(s));
        if (suffix === undefined) continue;
        const name = relative(folder, path).split('\\').join('/').slice(0, -suffix.length);
        out.set(name, path);
      }
    }
  };
  walk(folder);
  return out;
}

function readFolder(folder: string): Map<string, string> {
  return new Map([...templateFiles(folder)].map(([name, path]) => [name, readFileSync(path, 'utf8')]));
}

/** rlsgen's own templates folder. */
export function builtInTemplatesFolder(): string {
  return join(packageRoot(), 'templates');
}

export class TemplateFolderError extends Error {
  override readonly name = 'TemplateFolderError';
}

/**
 * rlsgen's built-in templates, with any of the same name in `overrideFolder`
 * replacing them. A file there that matches no built-in template is an
 * error: a misspelt override would otherwise be silently ignored.
 */
export function readTemplates(overrideFolder: string | null): Map<string, string> {
  const builtIn = readFolder(builtInTemplatesFolder());
  if (overrideFolder === null) return builtIn;
  if (!existsSync(overrideFolder) || !statSync(overrideFolder).isDirectory()) {
    throw new TemplateFolderError(`template folder ${overrideFolder} does not exist`);
  }
  const overrides = readFolder(overrideFolder);
  for (const [name, source] of overrides) {
    if (!builtIn.has(name)) {
      throw new TemplateFolderError(
        `${join(overrideFolder, name)}.sql.hbs overrides no built-in template (known: ${[...builtIn.keys()].sort().join(', ')})`,
      );
    }
    builtIn.set(name, source);
  }
  return builtIn;
}
