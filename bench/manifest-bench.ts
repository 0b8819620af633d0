/**
 * `npm run bench:manifest`: validation, planning and rendering of manifests
 * of 1,000, 10,000 and 100,000 tables (`--tables 1000,10000,100000`), shaped
 * like a large application's (synthetic-manifest.ts). Prints each stage's
 * time and its time per table relative to the smallest manifest: a ratio
 * near 1 is linear growth, near 10 per tenfold is quadratic. Target: the
 * ratio stays under 2 (the run exits 1 otherwise).
 */
import { parseArgs } from 'node:util';
import { loadManifest } from '../src/manifest/load-manifest.js';
import { planTenancy } from '../src/plan/plan-tenancy.js';
import { renderPlan } from '../src/render/render-plan.js';
import { createTemplateEnv } from '../src/render/template-env.js';
import { readTemplates } from '../src/write/read-templates.js';
import { median } from './bench-support.js';
import { syntheticManifest } from './synthetic-manifest.js';

const { values: args } = parseArgs({
  options: { tables: { type: 'string', default: '1000,10000,100000' }, runs: { type: 'string', default: '3' }, 'render-up-to': { type: 'string', default: '10000' } },
});
const SIZES = (args.tables ?? '').split(',').map(Number).filter((n) => n > 0);
const RUNS = Math.max(1, Number(args.runs));
/** Rendering 100,000 tables holds about 800,000 files in memory: measured up to this size only. */
const RENDER_UP_TO = Number(args['render-up-to']);

/** CPU time (user + system), not wall time: on a shared machine the wall clock measures the neighbours too. */
function time<T>(fn: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}

interface Row {
  readonly tables: number;
  readonly bytes: number;
  readonly validate: number;
  readonly render: number | null;
  readonly files: number | null;
}

function measure(tables: number): Row {
  const text = syntheticManifest(tables);
  const validate: number[] = [];
  let model = null;
  for (let run = 0; run < RUNS; run++) {
    const loaded = time(() => loadManifest(text, 'policies.yaml'));
    if (!loaded.value.ok) throw new Error(`the synthetic manifest does not validate: ${loaded.value.diagnostics[0]?.message ?? ''}`);
    validate.push(loaded.ms);
    model = loaded.value.model;
  }
  if (model === null) throw new Error('no model');
  if (tables > RENDER_UP_TO) return { tables, bytes: Buffer.byteLength(text), validate: median(validate), render: null, files: null };
  const env = createTemplateEnv(readTemplates(null));
  const render: number[] = [];
  let files = 0;
  for (let run = 0; run < RUNS; run++) {
    const rendered = time(() => {
      const planned = planTenancy(null, model);
      if (!planned.ok) throw new Error('the synthetic manifest does not plan');
      return renderPlan(planned.plan, env, 1);
    });
    render.push(rendered.ms);
    files = rendered.value.length;
  }
  return { tables, bytes: Buffer.byteLength(text), validate: median(validate), render: median(render), files };
}

const rows: Row[] = [];
for (const size of SIZES) {
  process.stderr.write(`${size.toLocaleString('en-US')} tables...\n`);
  rows.push(measure(size));
}
const base = rows[0];
const perTable = (ms: number, tables: number): number => ms / tables;
console.log('CPU seconds, median of the runs');
console.log(`${'tables'.padStart(8)} ${'MB'.padStart(6)} ${'validate'.padStart(10)} ${'per table'.padStart(10)} ${'ratio'.padStart(6)} ${'plan+render'.padStart(12)} ${'ratio'.padStart(6)} ${'files'.padStart(8)}`);
for (const row of rows) {
  const vRatio = base === undefined ? 1 : perTable(row.validate, row.tables) / perTable(base.validate, base.tables);
  const rRatio = base?.render == null || row.render === null ? null : perTable(row.render, row.tables) / perTable(base.render, base.tables);
  const render = row.render === null ? '-' : `${(row.render / 1000).toFixed(2)} s`;
  console.log(
    `${row.tables.toLocaleString('en-US').padStart(8)} ${(row.bytes / 1024 / 1024).toFixed(1).padStart(6)} ${`${(row.validate / 1000).toFixed(2)} s`.padStart(10)} ${`${(row.validate / row.tables * 1000).toFixed(0)} µs`.padStart(10)} ${vRatio.toFixed(2).padStart(6)} ${render.padStart(12)} ${(rRatio === null ? '-' : rRatio.toFixed(2)).padStart(6)} ${(row.files?.toLocaleString('en-US') ?? '-').padStart(8)}`,
  );
}
const worst = Math.max(...rows.slice(1).map((r) => (base === undefined ? 1 : perTable(r.validate, r.tables) / perTable(base.validate, base.tables))));
console.log(rows.length < 2 ? 'one size: no ratio' : worst < 2 ? `validation grows linearly (worst per-table ratio ${worst.toFixed(2)}, under 2)` : `VALIDATION IS NOT LINEAR (per-table ratio ${worst.toFixed(2)})`);
if (worst >= 2) process.exitCode = 1;
