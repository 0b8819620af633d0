import { LineCounter, parseDocument } from 'yaml';
import { type Position, type Segment, SourceMap } from './source-map.js';
import { yamlData } from './yaml-data.js';

/**
 * Where the value at `path` is written in a manifest that loaded, for
 * problems found after loading (a templates folder that does not exist).
 */
export function locate(text: string, path: readonly Segment[]): Position {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  return new SourceMap(doc, lines, yamlData(doc).aliases).value(path);
}
