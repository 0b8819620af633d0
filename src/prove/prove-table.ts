import type { TableInfo } from '../introspect/snapshot.js';
import type { CheckSpace } from './check-space.js';
import { clausesFor, type ExpressionCache, policyNames } from './policy-clauses.js';
import type { CheckProof, Command, CommandProof, TableProof } from './result.js';
import { worst } from './result.js';
import { rowCheck, updateIntoCheck, writeGlobalCheck } from './table-checks.js';

const COMMANDS: readonly Command[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** The checks of each command, from the clauses PostgreSQL applies to it. */
function commandChecks(space: CheckSpace, roles: ReadonlySet<string>, command: Command, cache: ExpressionCache): CheckProof[] {
  const clauses = (c: Command, side: 'using' | 'check') => clausesFor(space.table, roles, c, side, cache);
  switch (command) {
    case 'SELECT':
      return [rowCheck(space, clauses('SELECT', 'using'), 'read')];
    case 'DELETE':
      return [rowCheck(space, clauses('DELETE', 'using'), 'delete')];
    case 'INSERT':
      return [
        rowCheck(space, clauses('INSERT', 'check'), 'insert'),
        ...(space.nullableTenant ? [writeGlobalCheck(space, clauses('INSERT', 'check'), clauses('SELECT', 'using'), null)] : []),
      ];
    case 'UPDATE':
      return [
        rowCheck(space, clauses('UPDATE', 'using'), 'update-out'),
        updateIntoCheck(space, clauses('UPDATE', 'using'), clauses('UPDATE', 'check')),
        ...(space.nullableTenant ? [writeGlobalCheck(space, clauses('UPDATE', 'check'), clauses('SELECT', 'using'), clauses('UPDATE', 'using'))] : []),
      ];
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** Every command of one table, from its policies for the role. */
export function provePolicyTable(space: CheckSpace, roles: ReadonlySet<string>, cache: ExpressionCache): TableProof {
  const commands: CommandProof[] = COMMANDS.map((command) => {
    const checks = commandChecks(space, roles, command, cache);
    return { command, verdict: worst(checks.map((c) => c.verdict)), policies: policyNames(space.table, roles, command), checks };
  });
  return { table: { schema: space.table.schema, name: space.table.name }, verdict: worst(commands.map((c) => c.verdict)), commands };
}

/**
 * A table whose policies do not decide anything: row security off, or the
 * role skips it. Every command leaks; the counterexample is any row of
 * another tenant.
 */
export function bypassedTable(table: TableInfo, reason: string, tenantColumn: string, setting: string, a: string, b: string): TableProof {
  const detail = `${reason}: with ${setting} = '${a}' (tenant '${a}'), every row, such as one with ${tenantColumn} = '${b}', is reachable`;
  const counterexample = { scenario: 'tenant' as const, setting, settingValue: a, tenant: a, row: { [tenantColumn]: b }, session: {} };
  const checks = (kinds: CheckProof['check'][]): CheckProof[] => kinds.map((check) => ({ check, verdict: 'LEAK', detail, counterexample }));
  return {
    table: { schema: table.schema, name: table.name },
    verdict: 'LEAK',
    reason,
    commands: [
      { command: 'SELECT', verdict: 'LEAK', policies: [], checks: checks(['read']) },
      { command: 'INSERT', verdict: 'LEAK', policies: [], checks: checks(['insert']) },
      { command: 'UPDATE', verdict: 'LEAK', policies: [], checks: checks(['update-out', 'update-into']) },
      { command: 'DELETE', verdict: 'LEAK', policies: [], checks: checks(['delete']) },
    ],
  };
}

/** A table the prover cannot model at all (its tenant column's type). */
export function unverifiedTable(table: TableInfo, reason: string): TableProof {
  const checks: CheckProof[] = [{ check: 'read', verdict: 'UNVERIFIED', detail: reason, unknowns: [reason] }];
  return {
    table: { schema: table.schema, name: table.name },
    verdict: 'UNVERIFIED',
    reason,
    commands: COMMANDS.map((command) => ({ command, verdict: 'UNVERIFIED', policies: [], checks })),
  };
}
