import type { Acknowledgement } from '../model.js';
import type { RawAcknowledgement } from '../raw-manifest.js';
import { isParseError, parseFunctionRef, parseTableRef } from '../reference-syntax.js';
import { section } from '../section.js';
import { objectLabel, type ObjectKind, roleLabel } from '../../sql/object-label.js';

const OBJECT_KEYS: readonly (readonly [keyof RawAcknowledgement, ObjectKind])[] = [
  ['table', 'table'],
  ['view', 'view'],
  ['materialized_view', 'materialized view'],
  ['sequence', 'sequence'],
  ['function', 'function'],
  ['role', 'role'],
];

/**
 * `acknowledgements:` exposures accepted on review, each with its reason:
 * the object, and the lint rule or verify probe whose finding on it is
 * accepted. Lint and verify print them instead of failing; nothing else is
 * silenced.
 */
export const acknowledgementsSection = section({
  key: 'acknowledgements',
  build({ raw, report, defaults }) {
    const out: Acknowledgement[] = [];
    const seen = new Set<string>();
    for (const [index, entry] of (raw.acknowledgements ?? []).entries()) {
      const at = ['acknowledgements', index];
      const named = OBJECT_KEYS.filter(([key]) => entry[key] !== undefined);
      const first = named[0];
      if (named.length !== 1 || first === undefined) {
        report.error(at, 'acknowledgement-object', `name exactly one object (${OBJECT_KEYS.map(([k]) => k).join(', ')}); found ${named.length === 0 ? 'none' : named.map(([k]) => k).join(', ')}`);
        continue;
      }
      const [key, kind] = first;
      const text = String(entry[key]);
      let object: string;
      if (kind === 'role') object = roleLabel(text);
      else if (kind === 'function') {
        const ref = parseFunctionRef(text);
        if (isParseError(ref)) {
          report.error([...at, key], 'invalid-function', `${JSON.stringify(text)}: ${ref.error}`);
          continue;
        }
        object = objectLabel('function', ref.schema ?? defaults.schema, ref.name, ref.args);
      } else {
        const ref = parseTableRef(text);
        if (isParseError(ref) || ref.column !== null) {
          report.error([...at, key], 'invalid-reference', `${JSON.stringify(text)} is not a ${kind} name`, { help: `write \`name\` or \`schema.name\`` });
          continue;
        }
        object = objectLabel(kind, ref.schema ?? defaults.schema, ref.table);
      }
      const id = `${object}\u0000${entry.finding}`;
      if (seen.has(id)) {
        report.error(at, 'duplicate-acknowledgement', `${entry.finding} on ${object} is acknowledged twice`);
        continue;
      }
      seen.add(id);
      out.push({ object, finding: entry.finding, reason: entry.reason });
    }
    return out;
  },
});
