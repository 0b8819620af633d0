import { Ajv, type ErrorObject } from 'ajv';
import type { Diagnostic } from './diagnostic.js';
import { manifestSchema } from './schema.js';
import { displayPath, pointerToPath, type Segment, type SourceMap } from './source-map.js';
import { didYouMean } from './suggest.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile(manifestSchema);

type SchemaNode = Record<string, unknown>;

function resolveRef(node: SchemaNode): SchemaNode {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  let target: unknown = manifestSchema;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    target = typeof target === 'object' && target !== null ? (target as SchemaNode)[part] : undefined;
  }
  return typeof target === 'object' && target !== null ? resolveRef(target as SchemaNode) : {};
}

/** Every schema that can describe the value at `path` (all branches of a oneOf). */
function schemasAt(path: readonly Segment[]): SchemaNode[] {
  const expand = (node: SchemaNode): SchemaNode[] => {
    const resolved = resolveRef(node);
    const branches = resolved['oneOf'];
    return Array.isArray(branches) ? branches.flatMap((b) => expand(b as SchemaNode)) : [resolved];
  };
  let nodes = expand(manifestSchema as SchemaNode);
  for (const segment of path) {
    nodes = nodes.flatMap((node) => {
      const props = node['properties'] as Record<string, SchemaNode> | undefined;
      if (typeof segment === 'string' && props?.[segment] !== undefined) return expand(props[segment]);
      const extra = node['additionalProperties'];
      if (typeof segment === 'string' && typeof extra === 'object' && extra !== null) return expand(extra as SchemaNode);
      const items = node['items'];
      if (typeof segment === 'number' && typeof items === 'object' && items !== null) return expand(items as SchemaNode);
      return [];
    });
  }
  return nodes;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function valueAtPath(root: unknown, path: readonly Segment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/**
 * Checks the parsed manifest against the shipped JSON Schema (the one editors
 * use): no diagnostics when the shape is right, else one per real problem.
 */
export function checkShape(data: unknown, file: string, map: SourceMap): Diagnostic[] {
  return validateShape(data) ? [] : shapeDiagnostics(validateShape.errors ?? [], data, file, map);
}

/** Turns ajv's errors into one diagnostic per real problem. */
function shapeDiagnostics(errors: readonly ErrorObject[], data: unknown, file: string, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const push = (d: Diagnostic): void => {
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };
  for (const error of errors) {
    const path = pointerToPath(error.instancePath);
    const at = map.value(path);
    const base = { severity: 'error' as const, file, path: displayPath(path), line: at.line, column: at.column };
    if (error.keyword === 'oneOf') {
      // Report the branch errors below instead, unless no branch even had the right type.
      const deeper = errors.filter(
        (e) => e.instancePath.startsWith(error.instancePath) && e.keyword !== 'oneOf' && e.keyword !== 'type',
      );
      if (deeper.length === 0) {
        push({ ...base, code: 'manifest/invalid-type', message: `${describeType(valueAtPath(data, path))} is not allowed here` });
      }
      continue;
    }
    if (error.keyword === 'type' && oneOfPaths.has(error.instancePath)) continue;
    if (error.keyword === 'type' && [...oneOfPaths].some((p) => error.instancePath.startsWith(`${p}/`))) {
      const parentOneOf = [...oneOfPaths].find((p) => error.instancePath.startsWith(`${p}/`));
      if (parentOneOf !== undefined && errors.some((e) => e.instancePath === parentOneOf && e.keyword === 'type')) continue;
    }
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String((error.params as { additionalProperty: string }).additionalProperty);
        const at2 = map.key(path, key);
        const allowed = schemasAt(path).flatMap((node) => Object.keys((node['properties'] as Record<string, unknown> | undefined) ?? {}));
        push({
          ...base,
          path: displayPath([...path, key]),
          line: at2.line,
          column: at2.column,
          code: 'manifest/unknown-key',
          message: `unknown key ${JSON.stringify(key)}`,
          ...didYouMean(key, allowed),
        });
        break;
      }
      case 'required': {
        const key = String((error.params as { missingProperty: string }).missingProperty);
        push({ ...base, code: 'manifest/missing-key', message: `missing required key ${JSON.stringify(key)}` });
        break;
      }
      case 'enum': {
        const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
        const actual = String(valueAtPath(data, path));
        push({
          ...base,
          code: 'manifest/invalid-value',
          message: `${JSON.stringify(valueAtPath(data, path))} is not one of ${allowed.join(', ')}`,
          ...didYouMean(actual, allowed),
        });
        break;
      }
      case 'const':
        push({
          ...base,
          code: 'manifest/invalid-value',
          message: `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`,
        });
        break;
      case 'type':
        push({
          ...base,
          code: 'manifest/invalid-type',
          message: `expected ${String((error.params as { type: string }).type)}, found ${describeType(valueAtPath(data, path))}`,
        });
        break;
      case 'pattern': {
        const description = schemasAt(path).find((node) => typeof node['description'] === 'string')?.['description'];
        push({
          ...base,
          code: 'manifest/invalid-value',
          message: `${JSON.stringify(valueAtPath(data, path))} is not in the expected form`,
          ...(typeof description === 'string' ? { help: description } : {}),
        });
        break;
      }
      default:
        push({ ...base, code: 'manifest/invalid-value', message: error.message ?? 'invalid value' });
    }
  }
  return out;
}
