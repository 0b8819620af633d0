import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

/**
 * `.ci/run` ends with `npm test`'s status, after taking its lanes down. Run
 * here on a copy of the script whose `npm` and lane scripts are stubs that
 * log what they were asked, so the status path itself is what is tested
 * (test/integration/exit-status.test.ts shows vitest's failure reaching
 * `npm test`).
 */
function stubbedCheckout(): { root: string; log: string } {
  const root = tempDir('ci-run');
  const log = join(root, 'calls.log');
  mkdirSync(join(root, '.ci'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'bin'));
  cpSync('.ci/run', join(root, '.ci', 'run'));
  const script = (path: string, body: string): void => {
    writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(path, 0o755);
  };
  script(join(root, 'scripts', 'ci-packages.sh'), `echo packages >> ${log}`);
  // The container lane leaves a copy of itself in its folder, which .ci/run's trap runs.
  const lane = join(root, 'lane');
  mkdirSync(lane);
  script(join(lane, 'container-lane.sh'), `echo "container-lane $1" >> ${log}; exit "\${STUB_LANE_DOWN_STATUS:-0}"`);
  script(join(root, 'scripts', 'container-lane.sh'), `echo "container-lane $1" >> ${log}; echo "export RLSGEN_CONTAINER_LANE_DIR=${lane}"`);
  script(join(root, 'scripts', 'citus-lane.sh'), `echo "citus-lane $1" >> ${log}; [ "$1" = up ] && echo "export RLSGEN_CITUS_LANE_DIR=${lane}"; true`);
  script(join(root, 'bin', 'npm'), `echo "npm $1" >> ${log}; [ "$1" = test ] && exit "\${STUB_NPM_TEST_STATUS:-0}"; exit 0`);
  return { root, log };
}

function citusInstalled(): boolean {
  const r = spawnSync('/usr/lib/postgresql/15/bin/pg_config', ['--pkglibdir'], { encoding: 'utf8' });
  return r.status === 0 && existsSync(join(r.stdout.trim(), 'citus.so'));
}

describe('.ci/run exit status', () => {
  // [npm test's status, the container lane's `down` status (1: a container left, or the lane), .ci/run's status]
  const cases: [number, number, number][] = [
    [0, 0, 0],
    [1, 0, 1],
    [3, 0, 3],
    [0, 1, 1],
    [3, 1, 3],
  ];
  for (const [testStatus, downStatus, expected] of cases) {
    it(`exits ${expected} when npm test exits ${testStatus} and the lane's teardown ${downStatus === 0 ? 'is clean' : 'is not'}, and takes every lane down`, () => {
      const { root, log } = stubbedCheckout();
      const r = spawnSync('bash', [join(root, '.ci', 'run')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, STUB_NPM_TEST_STATUS: String(testStatus), STUB_LANE_DOWN_STATUS: String(downStatus) },
      });
      expect([r.status, r.stderr]).toEqual([expected, testStatus === 0 && downStatus !== 0 ? 'ci: the container lane was not left clean (see above)\n' : '']);
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      const lanes = citusInstalled() ? ['citus-lane up', 'npm test', 'citus-lane down', 'container-lane down'] : ['npm test', 'container-lane down'];
      expect(calls).toEqual(['packages', 'npm ci', 'container-lane up', ...lanes]);
    });
  }
});
