import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { AliasTargets } from './yaml-data.js';

/** One step of a path into the manifest: a mapping key or a list index. */
export type Segment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Positions of nodes in the parsed YAML, by path. Each mapping on a path is
 * indexed by key the first time a path goes through it, so finding a
 * position costs the path's length, not the document's size.
 */
export class SourceMap {
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly aliases: AliasTargets = new WeakMap(),
  ) {}

  /** Line and column of a character offset. */
  locate(offset: number): Position {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  private pairs(map: YAMLMap): Map<string, Pair> {
    let index = this.indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? (item.key.value === null ? '' : String(item.key.value)) : null;
        if (key !== null && !index.has(key)) index.set(key, item);
      }
      this.indexes.set(map, index);
    }
    return index;
  }

  /** What the node stands for: the anchored node when it is an alias. */
  private target(node: unknown): unknown {
    return isAlias(node) ? (this.aliases.get(node) ?? node) : node;
  }

  private child(node: unknown, segment: Segment): unknown {
    const parent = this.target(node);
    if (isMap(parent)) return this.pairs(parent).get(String(segment))?.value;
    if (isSeq(parent) && typeof segment === 'number') return parent.items[segment];
    return undefined;
  }

  /** The nodes along `path`, from the document's root; shorter when the path leaves the document. */
  private nodes(path: readonly Segment[]): Node[] {
    const out: Node[] = [];
    let node: unknown = this.doc.contents;
    for (let depth = 0; ; depth++) {
      if (!(isScalar(node) || isMap(node) || isSeq(node) || isAlias(node))) return out;
      out.push(node);
      const segment = path[depth];
      if (segment === undefined) return out;
      node = this.child(node, segment);
    }
  }

  /** Position of the value at `path`, falling back to the nearest ancestor. */
  value(path: readonly Segment[]): Position {
    const nodes = this.nodes(path);
    for (let i = nodes.length - 1; i >= 0; i--) {
      const range = nodes[i]?.range;
      if (range) return this.locate(range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Position of the key `key` inside the mapping at `path`. */
  key(path: readonly Segment[], key: string): Position {
    const nodes = this.nodes(path);
    const map = this.target(nodes.length === path.length + 1 ? nodes[nodes.length - 1] : undefined);
    if (isMap(map)) {
      const pair = this.pairs(map).get(key);
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      if (range) return this.locate(range[0]);
    }
    return this.value(path);
  }
}

/** `tables.calls.backfill`, `tables["odd name"]`, `first_of[1]`: a path as diagnostics print it. */
export function displayPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A JSON pointer (`/tables/calls/mode`) as a path. */
export function pointerToPath(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
