import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './package-root.js';

const SUFFIXES = ['.sql.hbs', '.hbs'];

function readFolder(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const suffix = SUFFIXES.find((s) => entry.endsWith(s));
        if (suffix === undefined) continue;
        const name = relative(folder, path).split('\\').join('/').slice(0, -suffix.length);
        out.set(name, readFileSync(path, 'utf8'));
      }
    }
  };
  walk(folder);
  return out;
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
  const builtIn = readFolder(join(packageRoot(), 'templates'));
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
