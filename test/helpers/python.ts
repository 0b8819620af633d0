import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { it, type TestContext } from 'vitest';
import { removeTempDir, tempDir } from './temp.js';

const run = promisify(execFile);

/**
 * Debian's interpreter. Debian's python3-* packages install into
 * /usr/lib/python3/dist-packages, which only /usr/bin/python3 reads: a
 * `python3` earlier on PATH (pyenv, a virtualenv) would not find them.
 * RLSGEN_PYTHON names another interpreter that has the packages.
 */
export const PYTHON = process.env['RLSGEN_PYTHON'] || '/usr/bin/python3';

/** The modules the Python tests import, and the Debian package of each (scripts/ci-packages.sh installs them). */
const MODULES: Readonly<Record<string, string>> = {
  pytest: 'python3-pytest',
  sqlalchemy: 'python3-sqlalchemy',
  psycopg2: 'python3-psycopg2',
  psycopg: 'python3-psycopg',
  asyncpg: 'python3-asyncpg',
  fastapi: 'python3-fastapi',
  httpx: 'python3-httpx',
};

export type PythonProbe = { readonly ok: true; readonly versions: Readonly<Record<string, string>> } | { readonly ok: false; readonly reason: string };

const PROBE = `
import importlib, json, platform, sys
found = {"python": platform.python_version()}
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
        found[name] = str(getattr(module, "__version__", "?")).split(" ")[0]
    except ImportError:
        found[name] = None
print(json.dumps(found))
`;

/** Which of the modules `PYTHON` imports (with `pythonPath` first on its path), with their versions. */
export function probePython(pythonPath: readonly string[] = []): PythonProbe {
  let found: Record<string, string | null>;
  try {
    const out = execFileSync(PYTHON, ['-c', PROBE, ...Object.keys(MODULES)], { env: pythonEnv(pythonPath), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    found = JSON.parse(out) as Record<string, string | null>;
  } catch (error) {
    return { ok: false, reason: `${PYTHON} does not run (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install python3` };
  }
  const missing = Object.entries(MODULES).filter(([name]) => found[name] === null);
  if (missing.length > 0) {
    return { ok: false, reason: `${PYTHON} lacks ${missing.map(([name]) => name).join(', ')}: apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}` };
  }
  return { ok: true, versions: found as Record<string, string> };
}

function pythonEnv(pythonPath: readonly string[], extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const path = [...pythonPath, resolve('test/python')].join(delimiter);
  // No __pycache__ or .pytest_cache left in the checkout.
  return { ...process.env, ...extra, PYTHONPATH: path, PYTHONDONTWRITEBYTECODE: '1' };
}

const PYTEST = ['-m', 'pytest', '-p', 'no:cacheprovider', '-p', 'pytest_results', '-q'];

/** The node ids pytest collects under `paths` (run when a test file is loaded, so that each becomes a vitest test). */
export function collectPytest(paths: readonly string[], pythonPath: readonly string[] = []): string[] {
  const out = execFileSync(PYTHON, [...PYTEST, '--collect-only', ...paths], { env: pythonEnv(pythonPath), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((line) => line.includes('::'));
}

export interface PytestOutcome {
  readonly outcome: 'passed' | 'failed' | 'skipped';
  readonly message: string;
}

/** Runs pytest on `paths` with `env` and returns every test's outcome, and pytest's output for failures outside tests. */
export async function runPytest(
  paths: readonly string[],
  env: Readonly<Record<string, string>>,
  pythonPath: readonly string[] = [],
): Promise<{ results: Map<string, PytestOutcome>; output: string }> {
  const dir = tempDir('pytest');
  const file = join(dir, 'results.json');
  try {
    const options = { env: pythonEnv(pythonPath, { ...env, RLSGEN_PYTEST_RESULTS: file }), maxBuffer: 64 * 1024 * 1024 };
    // Exit status 1 (some test failed) still writes the results; each vitest test reports its own.
    const output = await run(PYTHON, [...PYTEST, '-rs', ...paths], options).then(
      (r) => r.stdout + r.stderr,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    let parsed: Record<string, PytestOutcome> = {};
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PytestOutcome>;
    } catch {
      // pytest stopped before writing its results: every test reports "not run" with the output.
    }
    return { results: new Map(Object.entries(parsed)), output };
  } finally {
    removeTempDir(dir);
  }
}

/** One vitest test per pytest node id, passing, failing or skipping (with pytest's reason) as pytest did. */
export function definePytestTests(ids: readonly string[], outcomes: () => { results: Map<string, PytestOutcome>; output: string } | undefined): void {
  for (const id of ids) {
    it(id, (context: TestContext) => {
      const run = outcomes();
      const result = run?.results.get(id);
      if (result === undefined) throw new Error(`pytest did not run ${id}:\n${run?.output ?? 'pytest did not start'}`);
      if (result.outcome === 'skipped') context.skip(result.message);
      if (result.outcome === 'failed') throw new Error(result.message);
    });
  }
}

/** pytest's counts, and each distinct skip reason, for the test log. */
export function summarizePytest(label: string, run: { results: Map<string, PytestOutcome> } | undefined): string {
  const all = [...(run?.results.values() ?? [])];
  const count = (outcome: PytestOutcome['outcome']): number => all.filter((r) => r.outcome === outcome).length;
  const reasons = [...new Set(all.filter((r) => r.outcome === 'skipped').map((r) => r.message))];
  return [`pytest, ${label}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`, ...reasons.map((r) => `  skipped: ${r}`)].join('\n');
}
