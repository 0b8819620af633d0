import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** One step of a path into the manifest: a mapping key or a list index. */
export type Segment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Positions of nodes in the parsed YAML, by path. */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private locate(offset: number): Position {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  private node(path: readonly Segment[]): Node | undefined {
    const found: unknown = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return isScalar(found) || isMap(found) || isSeq(found) ? found : undefined;
  }

  /** Position of the value at `path`, falling back to the nearest ancestor. */
  value(path: readonly Segment[]): Position {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.node(path.slice(0, depth));
      if (node?.range) return this.locate(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Position of the key `key` inside the mapping at `path`. */
  key(path: readonly Segment[], key: string): Position {
    const map = this.node(path);
    if (isMap(map)) {
      for (const item of map.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
          return this.locate(item.key.range[0]);
        }
      }
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
