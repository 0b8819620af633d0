/**
 * rlsgen's library API: the same operations as the CLI, as typed functions
 * that return outcomes instead of printing.
 */
export { loadManifest, type LoadResult } from './manifest/load-manifest.js';
export type { Diagnostic } from './manifest/diagnostic.js';
export { formatDiagnostic, hasErrors } from './manifest/diagnostic.js';
export type * from './manifest/model.js';
export { planTenancy, type PlanResult } from './plan/plan-tenancy.js';
export type { Plan, PlannedStep, Step, Stage } from './plan/plan.js';
export { renderPlan, type MigrationFile } from './render/render-plan.js';
export { createTemplateEnv } from './render/template-env.js';
export { quoteIdent, quoteLiteral, quoteQualified } from './sql/quote.js';
export { generateMigrations, type GenerateOptions, type GenerateResult } from './write/generate-migrations.js';
export { readTemplates } from './write/read-templates.js';
export { provePolicies, type ProveOptions } from './prove/prove-policies.js';
export type { ProofResult, TableProof, Verdict } from './prove/result.js';
export { formatProof } from './prove/format-proof.js';
