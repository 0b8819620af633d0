import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temp folder a test makes comes from here and is removed after its
 * test file (test/setup/temp-dirs.ts), whatever the tests did.
 */
const made = new Set<string>();

/**
 * A fresh folder `<tmpdir>/rlsgen-<prefix>-XXXXXX`. `open`: mode 0755, for
 * folders a server running as the `postgres` OS user must traverse.
 */
export function tempDir(prefix = 'test', options: { open?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `rlsgen-${prefix}-`));
  if (options.open === true) chmodSync(dir, 0o755);
  made.add(dir);
  return dir;
}

/** Removes one folder made by `tempDir` now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

/** Removes every folder made by `tempDir` in this test file. */
export function removeTempDirs(): void {
  for (const dir of [...made]) removeTempDir(dir);
}
