import { LOOKUP_SCHEMA, type Model, type TableName } from './model.js';

/** A generated lookup function, as it must be found in the catalog. */
export interface LookupFunction {
  /** The lookup's name in `lookups:`. */
  readonly lookup: string;
  /** `rlsgen_lookup` and the lookup's name. */
  readonly function: TableName;
  /** The lookup role, which must own it (and nothing else). */
  readonly owner: string;
  /** The only role, besides its owner, that may execute it. */
  readonly grantee: string;
  readonly table: TableName;
  readonly key: readonly string[];
  readonly returns: readonly string[];
}

/**
 * The SECURITY DEFINER functions rlsgen generates for the manifest's
 * lookups. They read tenant tables with their owner's rights and are granted
 * to the application role, by design: code that judges definer functions
 * (lint, verify) uses this list to tell a declared lookup, an accepted and
 * printed exposure (one row by an exact key, the listed columns only), from
 * a leak.
 */
export function lookupFunctions(model: Model): LookupFunction[] {
  return model.lookups.map((l) => ({
    lookup: l.name,
    function: { schema: LOOKUP_SCHEMA, name: l.name },
    owner: model.roles.lookup.name,
    grantee: model.roles.app.name,
    table: l.tableName,
    key: l.key,
    returns: l.returns,
  }));
}

/** The declared lookup a function in the catalog is, or undefined (owner included: a function of the same name owned by another role is not rlsgen's). */
export function findLookupFunction(model: Model, fn: { readonly schema: string; readonly name: string; readonly owner: string }): LookupFunction | undefined {
  return lookupFunctions(model).find((l) => l.function.schema === fn.schema && l.function.name === fn.name && l.owner === fn.owner);
}
