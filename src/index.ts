/**
 * rlsgen's library API: the same operations as the CLI, as typed functions
 * that return outcomes instead of printing, and never exit the process.
 * Functions that take a database take a `ConnectionInfo`
 * (`parseConnectionUrl(url)` makes one) or a connected node-postgres client.
 */

// The manifest: read, check, model.
export { loadManifest, type LoadResult, type ManifestOverrides } from './manifest/load-manifest.js';
export { loadManifestFile } from './write/load-manifest-file.js';
export type { Diagnostic } from './manifest/diagnostic.js';
export { formatDiagnostic, hasErrors, sortDiagnostics } from './manifest/diagnostic.js';
export type * from './manifest/model.js';

// Plan and render: pure, same input, same bytes.
export { planTenancy, type PlanResult } from './plan/plan-tenancy.js';
export type { Plan, PlannedStep, Step, Stage } from './plan/plan.js';
export { renderPlan, type MigrationFile } from './render/render-plan.js';
export { createTemplateEnv } from './render/template-env.js';
export { quoteIdent, quoteLiteral, quoteQualified } from './sql/quote.js';

// Files: generate-migrations writes generated-sql/.
export { generateMigrations, type GenerateOptions, type GenerateResult, type GeneratedState } from './write/generate-migrations.js';
export { readTemplates, TemplateFolderError } from './write/read-templates.js';

// A database: apply, roll back, prove.
export { type ConnectionInfo, parseConnectionUrl, connectionUrl, withClient } from './db/server.js';
export type { ServerSpec } from './db/open-server.js';
export { interruptRun, runCleanups } from './db/cleanup.js';
export {
  applyMigrations,
  ApplyError,
  type ApplyEvent,
  ApplyLockedError,
  type ApplyOptions,
  type ApplyResult,
  type BackfillReport,
} from './apply/apply-migrations.js';
export { rollbackMigrations, type RollbackOptions, type RollbackResult } from './apply/rollback-migrations.js';
export { setContextSecret } from './apply/set-context-secret.js';
export { verifyIsolation, VerifyPreconditionError, type VerifyOptions } from './verify/verify-isolation.js';
export { proveIsolation, type ProveOptions, type ProveResult } from './verify/prove-isolation.js';
export type { CheckResult, CheckStatus, TableVerdict, VerifyResult } from './verify/result.js';
export { formatMatrix } from './verify/format-matrix.js';

// Knowing a live database.
export { introspectDatabase } from './introspect/introspect-database.js';
export type { DbSnapshot } from './introspect/snapshot.js';
export { lintDatabase, type LintOptions } from './lint/lint-database.js';
export type { Finding, Severity } from './lint/rule.js';
export { auditDatabase, type AuditReport, type CrossReference, type TableAudit } from './audit/audit-database.js';
export { diffDatabase, type Drift } from './diff/diff-database.js';
export { initManifest, type InitOptions } from './init/init-manifest.js';
export { provePolicies, type ProveOptions as ProvePoliciesOptions } from './prove/prove-policies.js';
export type { ProofResult, TableProof, Verdict } from './prove/result.js';
export { formatProof } from './prove/format-proof.js';
