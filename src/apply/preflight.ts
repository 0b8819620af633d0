import type pg from 'pg';
import { ApplyRefusedError } from './apply-errors.js';
import { checkPrivileges } from './check-privileges.js';
import { checkRlsgenSchema, type RlsgenProblem, type TrustAnchors } from './check-rlsgen-schema.js';
import { readGeneratedObjects } from './generated-objects.js';
import type { FolderMigration } from './migration-folder.js';
import { readRlsgenCatalog, readTableOwners } from './rlsgen-catalog.js';
import { type PreflightFile, requiredPrivileges } from './required-privileges.js';

/** The owner the migrations name for rlsgen's objects (manifest `migration.owner`), or null. */
export function namedOwner(files: readonly FolderMigration[]): string | null {
  return files.find((f) => f.meta?.owner !== undefined)?.meta?.owner ?? null;
}

/** Whose objects in the rlsgen schema apply trusts, for these migrations on this database. */
export async function trustAnchors(client: pg.ClientBase, files: readonly FolderMigration[], role: string): Promise<TrustAnchors> {
  const tables = [...new Set(files.flatMap((f) => (f.meta?.table === undefined ? [] : [f.meta.table])))];
  const owners = await readTableOwners(client, tables);
  return { namedOwner: namedOwner(files), owners: owners.length > 0 ? owners : [role] };
}

/** What apply found in the rlsgen schema, to refuse with (see {@link refuseUntrusted}). */
export interface RlsgenInspection {
  readonly problems: readonly RlsgenProblem[];
  readonly anchors: TrustAnchors;
}

/**
 * Compares the rlsgen schema with what the migration files create, reading
 * only the catalogs: objects owned by another role than the trusted ones,
 * executable by PUBLIC, granted to roles rlsgen did not grant them to, or
 * functions and procedures whose body is not the generated one. Runs on
 * every apply and rollback, before anything in that schema is read or called.
 */
export async function inspectRlsgenSchema(client: pg.ClientBase, files: readonly FolderMigration[], role: string): Promise<RlsgenInspection> {
  const anchors = await trustAnchors(client, files, role);
  return { problems: checkRlsgenSchema(await readRlsgenCatalog(client), readGeneratedObjects(files), anchors), anchors };
}

/** Throws the refusal when the inspection found anything (`bookkeepingOnly`: only what forbids reading rlsgen.migrations). */
export function refuseUntrusted(inspection: RlsgenInspection, bookkeepingOnly = false): void {
  const { problems, anchors } = inspection;
  if (problems.length === 0 || (bookkeepingOnly && !problems.some((p) => p.bookkeeping))) return;
  const trusted = anchors.namedOwner === null ? anchors.owners.join(', ') : `${anchors.namedOwner} (migration.owner)`;
  throw new ApplyRefusedError(
    `the rlsgen schema holds ${problems.length} object(s) apply does not trust; nothing was run`,
    'untrusted',
    [],
    problems,
    `apply calls rlsgen's procedures and writes its tables with the rights of the role that runs it, so it trusts only objects owned by a superuser or by ${trusted} (or a member), with the privileges and function bodies the migrations create. Check each object named: as a superuser, drop what rlsgen did not create, and re-create the rest from the migration file that creates it (DROP it first: CREATE OR REPLACE keeps the old owner)`,
  );
}

/**
 * Checks that the connecting role can run every statement of `files` (the
 * migrations apply will run, or the rollback scripts) before the first one
 * runs, and refuses with the whole list otherwise.
 */
export async function assertPrivileges(client: pg.ClientBase, files: readonly PreflightFile[], mode: 'apply' | 'rollback', role: string): Promise<void> {
  const missing = await checkPrivileges(client, requiredPrivileges(files, mode === 'apply' ? 'INSERT' : 'DELETE'));
  if (missing.length === 0) return;
  throw new ApplyRefusedError(
    `${role} cannot run the ${mode === 'apply' ? 'pending migrations' : 'rollback scripts'}: ${missing.length} privilege(s) or object(s) missing; nothing was ${mode === 'apply' ? 'applied' : 'rolled back'}`,
    'preflight',
    missing,
    [],
    'run it as a role that owns the tables (or is a member of their owner), or grant what is listed, then run it again',
  );
}
