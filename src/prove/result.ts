import type { QualifiedName } from '../introspect/snapshot.js';

/**
 * PROVEN: no row of another tenant can be reached, whatever the row and the
 * session hold. LEAK: one can, and the counterexample shows how. UNVERIFIED:
 * the answer depends on something the prover does not follow (named).
 */
export type Verdict = 'PROVEN' | 'LEAK' | 'UNVERIFIED';

export type Command = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * read / delete / update-out: another tenant's existing row passes USING.
 * insert / update-into: a new row for another tenant passes WITH CHECK.
 * write-global: a row without a tenant passes WITH CHECK, and another
 * tenant's policies then show it.
 */
export type CheckKind = 'read' | 'insert' | 'update-out' | 'update-into' | 'delete' | 'write-global';

/** The tenant variable: never set, reset to '' (a pooled connection), malformed, or set to tenant A. */
export type Scenario = 'unset' | 'empty' | 'malformed' | 'tenant';

export type Row = Readonly<Record<string, string | null>>;

export interface Counterexample {
  readonly scenario: Scenario;
  readonly setting: string;
  /** What current_setting(setting, true) returns; null when unset. */
  readonly settingValue: string | null;
  /** Tenant A, whose session it is, in the tenant scenario. */
  readonly tenant: string | null;
  /** The row read, deleted, or written (the new row of an UPDATE). */
  readonly row: Row;
  /** For update-into: the row the UPDATE starts from. */
  readonly oldRow?: Row;
  /** Other settings, session_user, and values an IMMUTABLE helper kept from another session, where they matter. */
  readonly session: Row;
  /** For write-global: the other tenant that then sees the row. */
  readonly reader?: { readonly tenant: string; readonly session: Row };
}

export interface CheckProof {
  readonly check: CheckKind;
  readonly verdict: Verdict;
  /** One line: what leaks, or why it is unverified. */
  readonly detail: string;
  readonly counterexample?: Counterexample;
  /** What the prover could not follow, for UNVERIFIED. */
  readonly unknowns?: readonly string[];
}

export interface CommandProof {
  readonly command: Command;
  readonly verdict: Verdict;
  /** The policies that apply to the application role for this command. */
  readonly policies: readonly string[];
  readonly checks: readonly CheckProof[];
}

export interface TableProof {
  readonly table: QualifiedName;
  readonly verdict: Verdict;
  /** Set when the table's verdict does not come from its policies (row security off, the owner, a bypassing role). */
  readonly reason?: string;
  readonly commands: readonly CommandProof[];
}

export interface ProofResult {
  readonly role: string | null;
  readonly setting: string;
  readonly tenantColumn: string;
  readonly verdict: Verdict;
  readonly tables: readonly TableProof[];
}

const RANK: Record<Verdict, number> = { PROVEN: 0, UNVERIFIED: 1, LEAK: 2 };

/** The worst of several verdicts: a leak anywhere is a leak. */
export function worst(verdicts: Iterable<Verdict>): Verdict {
  let out: Verdict = 'PROVEN';
  for (const v of verdicts) if (RANK[v] > RANK[out]) out = v;
  return out;
}
