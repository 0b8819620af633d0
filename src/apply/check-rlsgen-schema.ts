import { quoteIdent } from '../sql/quote.js';
import { digestBody, type GeneratedObjects, MIGRATIONS_TABLE, RLSGEN_SCHEMA } from './generated-objects.js';
import type { AclEntry, RlsgenCatalog, RlsgenObject, RoleMembership } from './rlsgen-catalog.js';

/**
 * Whose objects `rlsgen apply` may run. Apply executes rlsgen's procedures
 * and writes its tables with the rights of whoever runs it (often a
 * superuser), so whoever can change them could run code with those rights.
 *
 * Trusted: superusers, and the anchor roles with every role that can act as
 * them. The anchor is the owner the manifest names (`migration.owner`), or
 * else the owners of the tables the migrations alter: those roles can
 * already make apply run their code (a trigger or a default on their table
 * fires as the role that writes it), so trusting their objects in rlsgen
 * exposes nothing new. Any other owner could plant code for a stronger role.
 */
export interface TrustAnchors {
  readonly namedOwner: string | null;
  /** Owners of the tables the migrations alter, or the connecting role when they name none. */
  readonly owners: readonly string[];
}

/** One object of the rlsgen schema that apply refuses to run with. */
export interface RlsgenProblem {
  /** `procedure rlsgen.backfill(regclass,name,name,text,integer,text)` */
  readonly object: string;
  readonly owner: string;
  readonly problems: readonly string[];
  /** The problem concerns the schema itself or the bookkeeping table: apply must not even read rlsgen.migrations. */
  readonly bookkeeping: boolean;
}

/** The anchor roles: the named owner, or the table owners. */
export const anchorRoles = (anchors: TrustAnchors): readonly string[] => (anchors.namedOwner === null ? anchors.owners : [anchors.namedOwner]);

/** Every role `role` belongs to, directly or through other roles (itself included). */
export function memberClosure(roles: readonly Pick<RoleMembership, 'name' | 'memberOf'>[], role: string): Set<string> {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const parent of byName.get(name)?.memberOf ?? []) visit(parent);
  };
  visit(role);
  return seen;
}

/** A predicate: may apply run what this role owns? */
export function trustedOwner(roles: readonly RoleMembership[], anchors: TrustAnchors): (role: string) => boolean {
  const anchorSet = new Set(anchorRoles(anchors));
  const superusers = new Set(roles.filter((r) => r.superuser).map((r) => r.name));
  return (role) => superusers.has(role) || [...memberClosure(roles, role)].some((r) => anchorSet.has(r));
}

const short = (digest: string): string => digest.slice(0, 12);

/**
 * Compares the rlsgen schema in the catalog with what the migration files
 * generate: every object owned by a trusted role, nothing executable by
 * PUBLIC, no privilege rlsgen did not grant, every function and procedure
 * body identical to the generated text, nothing rlsgen does not create.
 * `generated` null (no migrations folder at hand): owners and PUBLIC or
 * CREATE privileges only. Pure.
 */
export function checkRlsgenSchema(catalog: RlsgenCatalog, generated: GeneratedObjects | null, anchors: TrustAnchors): RlsgenProblem[] {
  if (catalog.schema === null) return [];
  const trusted = trustedOwner(catalog.roles, anchors);
  const granted = new Set((generated?.grants ?? []).map((g) => `${g.object}\u0000${g.grantee}\u0000${g.privilege}`));
  const out: RlsgenProblem[] = [];
  const ownerProblem = (owner: string): string[] => (trusted(owner) ? [] : [`owned by ${owner}, a role apply does not trust`]);

  const schemaProblems = [
    ...ownerProblem(catalog.schema.owner),
    ...aclProblems(catalog.schema.acl, catalog.schema.owner, `schema ${RLSGEN_SCHEMA}`, granted, generated !== null, `SCHEMA ${RLSGEN_SCHEMA}`),
  ];
  if (schemaProblems.length > 0) out.push({ object: `schema ${RLSGEN_SCHEMA}`, owner: catalog.schema.owner, problems: schemaProblems, bookkeeping: true });

  for (const object of catalog.objects) {
    if (object.extension !== null) {
      // An extension's objects are its script's, with its privileges: only who owns them, and whether a migration installs it, matter.
      const foreign = generated !== null && !generated.extensions.includes(object.extension) ? [`part of extension ${object.extension}, which no migration of rlsgen installs`] : [];
      const problems = [...ownerProblem(object.owner), ...foreign];
      if (problems.length > 0) out.push({ object: `${object.kind} ${object.label}`, owner: object.owner, problems, bookkeeping: false });
      continue;
    }
    const problems = [...ownerProblem(object.owner), ...objectProblems(object, generated)];
    const grantKey = object.kind === 'function' || object.kind === 'procedure' ? `routine ${RLSGEN_SCHEMA}.${object.name}` : `table ${RLSGEN_SCHEMA}.${object.name}`;
    const on = object.kind === 'function' || object.kind === 'procedure' ? `ROUTINE ${object.label}` : object.kind === 'sequence' ? `SEQUENCE ${object.label}` : `TABLE ${object.label}`;
    problems.push(...aclProblems(object.acl, object.owner, grantKey, granted, generated !== null, on));
    const bookkeeping = object.name === MIGRATIONS_TABLE || (object.kind === 'trigger' && object.label.endsWith(` on ${RLSGEN_SCHEMA}.${MIGRATIONS_TABLE}`));
    if (problems.length > 0) out.push({ object: object.kind === 'trigger' ? object.label : `${object.kind} ${object.label}`, owner: object.owner, problems, bookkeeping });
  }
  return out;
}

function objectProblems(object: RlsgenObject, generated: GeneratedObjects | null): string[] {
  switch (object.kind) {
    case 'function':
    case 'procedure': {
      if (generated === null) return [];
      const same = generated.routines.filter((r) => r.name === object.name);
      if (same.length === 0) return ['not created by any migration of rlsgen'];
      const ofKind = same.filter((r) => r.kind === object.kind);
      if (ofKind.length === 0) return [`a ${object.kind}, where the migrations create a ${same[0]?.kind ?? ''} of that name`];
      const digest = digestBody(object.body ?? '');
      if (ofKind.some((r) => r.bodyDigest === digest)) return [];
      return [`its body differs from what rlsgen generated (sha256 ${short(digest)} in the database, ${ofKind.map((r) => short(r.bodyDigest)).join(' or ')} in ${[...new Set(ofKind.map((r) => r.file))].join(', ')})`];
    }
    case 'table':
      return generated === null || generated.tables.includes(object.name) ? [] : ['not created by any migration of rlsgen'];
    case 'view':
    case 'materialized view':
    case 'sequence':
    case 'foreign table':
    case 'composite type':
    case 'aggregate':
    case 'type':
    case 'operator':
    case 'trigger':
      return ['not created by any migration of rlsgen'];
    default: {
      const never: never = object.kind;
      throw new Error(`unknown object kind ${String(never)}`);
    }
  }
}

/** Privileges nobody should hold, or no migration grants; each with the REVOKE that removes it (`on`: `ROUTINE rlsgen.f(...)`). */
function aclProblems(acl: readonly AclEntry[], owner: string, object: string, granted: ReadonlySet<string>, strict: boolean, on: string): string[] {
  const out: string[] = [];
  for (const entry of acl) {
    if (entry.grantee === owner) continue;
    const what = `${entry.privilege}${entry.grantable ? ' WITH GRANT OPTION' : ''}`;
    const revoke = `REVOKE ${entry.privilege} ON ${on} FROM ${entry.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(entry.grantee)}`;
    if (entry.grantee === 'PUBLIC' || entry.privilege === 'CREATE') out.push(`${entry.grantee} has ${what} on it (${revoke})`);
    else if (strict && (entry.grantable || !granted.has(`${object}\u0000${entry.grantee}\u0000${entry.privilege}`))) {
      out.push(`${entry.grantee} has ${what} on it, which no migration of rlsgen grants (${revoke})`);
    }
  }
  return out;
}
