import type { FunctionModel } from '../model.js';
import { isParseError, parseFunctionRef } from '../reference-syntax.js';
import { section } from '../section.js';
import { normalizeArgumentTypes } from '../../sql/object-label.js';

/**
 * `functions:` functions keyed by name and argument types
 * (`report(integer)`). `revoke_execute` (the default) revokes EXECUTE from
 * PUBLIC, which every new function grants it to, and from the application
 * role: for SECURITY DEFINER functions that read tenant tables with their
 * owner's rights.
 */
export const functionsSection = section({
  key: 'functions',
  build({ raw, report, defaults }) {
    const out: FunctionModel[] = [];
    const seen = new Map<string, string>();
    for (const [key, entry] of Object.entries(raw.functions ?? {})) {
      const ref = parseFunctionRef(key);
      if (isParseError(ref)) {
        report.error(['functions'], 'invalid-function', `${JSON.stringify(key)}: ${ref.error}`, { help: 'write the function with its argument types as \\df shows them, e.g. customer_report(integer) or billing.total(uuid, date)' }, key);
        continue;
      }
      const schema = ref.schema ?? defaults.schema;
      report.checkIdentifier(['functions', key], ref.name);
      const argumentTypes = normalizeArgumentTypes(ref.args);
      const id = `${schema}.${ref.name}(${argumentTypes})`;
      const previous = seen.get(id);
      if (previous !== undefined) {
        report.error(['functions'], 'duplicate-function', `function ${id} is declared twice (first as ${JSON.stringify(previous)})`, {}, key);
        continue;
      }
      seen.set(id, key);
      out.push({ key, schema, name: ref.name, argumentTypes, revokeExecute: entry?.revoke_execute ?? true, reason: entry?.reason ?? null });
    }
    return out;
  },
});
