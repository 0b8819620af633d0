import { join } from 'node:path';
import { generateMigrations, type GenerateResult } from '../../src/write/generate-migrations.js';
import { readTree } from './golden.js';
import { removeTempDir, tempDir } from './temp.js';

/** Generates from a manifest into a fresh folder and returns the files written. */
export function generateTree(manifestPath: string): { result: GenerateResult; files: Map<string, string> } {
  const out = tempDir('gen');
  try {
    const result = generateMigrations({ manifestPath, outDir: out });
    return { result, files: readTree(out) };
  } finally {
    removeTempDir(out);
  }
}
