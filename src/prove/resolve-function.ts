import type { DbSnapshot, FunctionInfo } from '../introspect/snapshot.js';
import type { CallExpr, Expr } from '../sql/expression.js';
import { parseFunctionBody } from '../sql/parse-expression.js';
import { type ValueType, valueType } from './values.js';

/** What a function call in a policy means to the prover. */
export type Resolution =
  | { readonly kind: 'setting' }
  | { readonly kind: 'fold'; readonly upper: boolean }
  | { readonly kind: 'inline'; readonly fn: FunctionInfo; readonly body: Expr; readonly params: readonly string[]; readonly strict: boolean; readonly immutable: boolean }
  | { readonly kind: 'verified'; readonly type: ValueType }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Built-in functions whose result only depends on what the row and session hold, and that the prover does not model. */
const ROLE_FUNCTIONS = /^(pg_has_role|has_[a-z_]+_privilege|row_security_active)$/;

/**
 * Finds what a call means: current_setting, a LANGUAGE sql helper whose body
 * is inlined (as the planner inlines it), rlsgen's signed-context verifier,
 * or something the prover does not follow (plpgsql, functions that read
 * tables, unknown built-ins), with the reason.
 */
export class FunctionResolver {
  private readonly cache = new Map<CallExpr, Resolution>();

  constructor(private readonly snapshot: DbSnapshot) {}

  resolve(call: CallExpr): Resolution {
    let found = this.cache.get(call);
    if (found === undefined) {
      found = this.lookup(call);
      this.cache.set(call, found);
    }
    return found;
  }

  private lookup(call: CallExpr): Resolution {
    // An unqualified name finds pg_catalog first: PostgreSQL searches it before the search path.
    const builtin = call.schema === null || call.schema === 'pg_catalog';
    const name = `${call.schema === null ? '' : `${call.schema}.`}${call.name}()`;
    if (builtin && call.name === 'current_setting' && (call.args.length === 1 || call.args.length === 2)) return { kind: 'setting' };
    if (builtin && (call.name === 'lower' || call.name === 'upper') && call.args.length === 1) return { kind: 'fold', upper: call.name === 'upper' };
    if (builtin && ROLE_FUNCTIONS.test(call.name)) return { kind: 'unknown', reason: `${name} depends on role memberships and privileges` };
    const fn = call.schema === 'pg_catalog' ? undefined : this.find(call);
    if (fn !== undefined) return describe(fn);
    return { kind: 'unknown', reason: builtin ? `built-in function ${name} is not modelled` : `function ${name} is not in the catalog` };
  }

  private find(call: CallExpr): FunctionInfo | undefined {
    const candidates = this.snapshot.functions.filter((f) => f.name === call.name && argumentCount(f) === call.args.length && (call.schema === null || f.schema === call.schema));
    if (call.schema !== null || candidates.length <= 1) return candidates[0];
    return candidates.find((f) => f.schema === 'public') ?? candidates[0];
  }
}

function describe(fn: FunctionInfo): Resolution {
  const name = `${fn.schema}.${fn.signature}`;
  if (isSignedVerifier(fn)) return { kind: 'verified', type: valueType(fn.name.replace(/^verified_tenant_/, '')) };
  if (fn.language !== 'sql') return { kind: 'unknown', reason: `${fn.language} function ${name} is not followed` };
  const body = parseFunctionBody(fn.sqlBody ?? fn.source);
  if (!('kind' in body)) return { kind: 'unknown', reason: `SQL function ${name} is not followed: ${body.reason}` };
  return { kind: 'inline', fn, body, params: fn.argumentNames, strict: fn.strict, immutable: fn.volatility === 'immutable' };
}

/**
 * rlsgen's own `rlsgen.verified_tenant_<type>()` of the signed context: it
 * returns the tenant of a token signed for this backend with the secret the
 * application role cannot read, and NULL for anything else. The prover takes
 * that as given for the function rlsgen writes (recognised by its body);
 * `rlsgen verify` tests it with forged, expired and foreign tokens.
 */
function isSignedVerifier(fn: FunctionInfo): boolean {
  return (
    fn.schema === 'rlsgen' &&
    /^verified_tenant_[a-z]+$/.test(fn.name) &&
    fn.language === 'plpgsql' &&
    fn.securityDefiner &&
    ['rlsgen.context_secret', 'hmac(', 'pg_backend_pid()'].every((part) => fn.source.includes(part))
  );
}

/** The number of arguments in a function's identity signature. */
export function argumentCount(fn: FunctionInfo): number {
  const inner = fn.signature.slice(fn.signature.indexOf('(') + 1, fn.signature.lastIndexOf(')')).trim();
  if (inner === '') return 0;
  let depth = 0;
  let count = 1;
  for (const c of inner) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) count++;
  }
  return count;
}
