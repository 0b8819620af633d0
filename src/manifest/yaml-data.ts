import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { LIMITS, type ManifestLimits } from './limits.js';
import type { TextProblem } from './text-limits.js';

/** The anchored node each alias repeats. */
export type AliasTargets = WeakMap<Node, Node>;

export interface YamlData {
  readonly data: unknown;
  readonly problems: readonly TextProblem[];
  readonly aliases: AliasTargets;
}

/**
 * The parsed document as plain data, in one pass whose cost is linear in the
 * document (the `yaml` package's own `toJS` and `uniqueKeys` compare each key
 * with every key before it, and resolve each alias by scanning the
 * document). Duplicate keys, non-scalar keys, nesting past `limits.nesting` and
 * aliases that repeat more than `limits.aliasNodes` nodes in total are
 * reported at their offsets; the data is null when any was found.
 */
export function yamlData(doc: Document, limits: ManifestLimits = LIMITS): YamlData {
  const problems: TextProblem[] = [];
  const anchors = new Map<string, { node: Node; size: number; value: unknown }>();
  const aliases: AliasTargets = new WeakMap();
  let aliasNodes = 0;

  const at = (node: { range?: readonly number[] | null } | null | undefined): number => node?.range?.[0] ?? 0;

  const convert = (node: unknown, depth: number): { value: unknown; size: number } => {
    if (node === null || node === undefined) return { value: null, size: 1 };
    if (depth > limits.nesting) {
      problems.push({ code: 'too-deep', offset: at(node as Node), message: `lists and mappings are nested more than ${limits.nesting} levels deep here` });
      throw STOP;
    }
    let out: { value: unknown; size: number };
    if (isAlias(node)) {
      const anchor = anchors.get(node.source);
      if (anchor === undefined) {
        problems.push({ code: 'yaml-syntax', offset: at(node), message: `alias *${node.source} names no anchor &${node.source} written before it` });
        throw STOP;
      }
      aliases.set(node, anchor.node);
      aliasNodes += anchor.size;
      if (aliasNodes > limits.aliasNodes) {
        problems.push({
          code: 'alias-limit',
          offset: at(node),
          message: `YAML aliases repeat more than ${limits.aliasNodes.toLocaleString('en-US')} nodes in total by this one (*${node.source})`,
          help: 'an alias of an alias multiplies the document (an "alias bomb"); write the repeated parts out, or repeat less',
        });
        throw STOP;
      }
      return { value: anchor.value, size: anchor.size };
    }
    if (isScalar(node)) out = { value: node.value, size: 1 };
    else if (isSeq(node)) {
      const items: unknown[] = [];
      let size = 1;
      for (const item of node.items) {
        const converted = convert(item, depth + 1);
        items.push(converted.value);
        size += converted.size;
      }
      out = { value: items, size };
    } else if (isMap(node)) {
      const object: Record<string, unknown> = {};
      const seen = new Set<string>();
      let size = 1;
      for (const pair of node.items) {
        const key = keyOf(pair, problems);
        if (key === null) throw STOP;
        if (seen.has(key)) {
          problems.push({ code: 'duplicate-key', offset: at(pair.key as Node), message: 'this key appears twice in the same mapping' });
          continue;
        }
        seen.add(key);
        const converted = convert(pair.value, depth + 1);
        // `__proto__` is a key like any other here, not the object's prototype.
        if (key === '__proto__') Object.defineProperty(object, key, { value: converted.value, enumerable: true, writable: true, configurable: true });
        else object[key] = converted.value;
        size += converted.size + 1;
      }
      out = { value: object, size };
    } else {
      problems.push({ code: 'yaml-syntax', offset: at(node as Node), message: 'unexpected YAML node' });
      throw STOP;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (typeof anchor === 'string') anchors.set(anchor, { node: node as Node, ...out });
    return out;
  };

  try {
    const { value } = convert(doc.contents, 0);
    return { data: problems.length > 0 ? null : value, problems, aliases };
  } catch (error) {
    if (error !== STOP) throw error;
    return { data: null, problems, aliases };
  }
}

const STOP = Symbol('stop');

/** A mapping key as the manifest reads it: a scalar (or an alias of one), as text. */
function keyOf(pair: Pair, problems: TextProblem[]): string | null {
  const key = pair.key;
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  problems.push({ code: 'invalid-key', offset: (key as Node).range?.[0] ?? 0, message: 'a key must be a plain name, not a list, a mapping or an alias' });
  return null;
}
