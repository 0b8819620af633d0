import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The test run's own temp folder: every test, helper, server and child
 * process of the run writes its temp files there (TMPDIR), so that the run
 * can check it left nothing behind. Mode 0755: the throwaway servers run as
 * the `postgres` OS user under root and must reach their folders in it.
 * Teardown fails the run, naming them, when anything is left.
 */
export default function setup(): () => void {
  const parent = process.env['TMPDIR'] ?? tmpdir();
  const dir = mkdtempSync(join(parent, 'rlsgen-test-run-'));
  chmodSync(dir, 0o755);
  process.env['TMPDIR'] = dir;
  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    process.env['TMPDIR'] = parent;
    if (left.length > 0) {
      process.stderr.write(`\nthe tests left ${left.length} item(s) in the temp folder: ${left.sort().join(', ')}\n`);
      process.exitCode = 1;
    }
  };
}
