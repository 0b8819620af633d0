import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const VITEST = resolve('node_modules/vitest/vitest.mjs');
const CONFIG = 'test/fixtures/exit-status-suite/vitest.config.ts';

/** vitest on the fixture suite, as `npm test` runs it, in a child process. */
function runFixtureSuite(fail: 'none' | 'unit' | 'integration'): Promise<{ code: number | null; output: string }> {
  // The child must not think it is a worker of this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST' && k !== 'NODE_ENV'));
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--config', CONFIG], { env: { ...env, RLSGEN_FIXTURE_FAIL: fail, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => done({ code, output }));
  });
}

describe('the test setup reports failures in its exit status', () => {
  it('a failing integration test, with the shared servers started, exits non-zero', async () => {
    const r = await runFixtureSuite('integration');
    expect(r.output).toContain('1 failed');
    expect(r.code).toBe(1);
  });

  it('a failing unit test exits non-zero', async () => {
    const r = await runFixtureSuite('unit');
    expect(r.output).toContain('1 failed');
    expect(r.code).toBe(1);
  });

  it('the same suite, all passing, exits 0 (the control)', async () => {
    const r = await runFixtureSuite('none');
    expect(r.output).toContain('2 passed');
    expect(r.code).toBe(0);
  });
});
