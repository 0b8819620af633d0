import Handlebars from 'handlebars';
import { quoteDollar } from '../sql/quote.js';
import { SqlText, type SqlTextKind } from './sql-text.js';

/** Template sources by name: `add-tenant-column`, `add-tenant-column.down`, `partials/header`. */
export type TemplateSources = ReadonlyMap<string, string>;

export type CompiledTemplate = (context: object) => string;

/** A template failed to render: which one, and where in it (1-based) when Handlebars says. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly template: string,
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

export interface TemplateEnv {
  render(name: string, context: object): string;
  has(name: string): boolean;
}

function unwrap(kind: SqlTextKind, value: unknown, helper: string): string {
  if (value instanceof SqlText) return value.as(kind);
  throw new TypeError(`{{${helper}}} needs a value prepared by rlsgen, got ${typeof value}`);
}

/**
 * An isolated Handlebars instance for SQL: no HTML escaping (`noEscape`), a
 * missing field is an error (`strict`), and values reach the output only
 * through the quoting helpers below.
 */
export function createTemplateEnv(sources: TemplateSources): TemplateEnv {
  const hb = Handlebars.create();
  hb.registerHelper('ident', (value: unknown) => unwrap('ident', value, 'ident'));
  hb.registerHelper('literal', (value: unknown) => unwrap('literal', value, 'literal'));
  hb.registerHelper('sql', (value: unknown) => unwrap('sql', value, 'sql'));
  hb.registerHelper('comment', (value: unknown) => unwrap('comment', value, 'comment'));
  hb.registerHelper('number', (value: unknown) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError('{{number}} needs an integer');
    return String(value);
  });
  // {{#dollar}}body{{/dollar}}: the body in dollar quotes with a tag it does not contain.
  hb.registerHelper('dollar', function (this: unknown, options: Handlebars.HelperOptions) {
    return quoteDollar(options.fn(this));
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);

  const options: CompileOptions = { noEscape: true, strict: true };
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  for (const [name, source] of sources) {
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), hb.compile(source, options));
    else compiled.set(name, hb.compile(source, options));
  }
  return {
    has: (name) => compiled.has(name),
    render(name, context) {
      const template = compiled.get(name);
      if (template === undefined) throw new Error(`no template named ${name}`);
      try {
        return template(context);
      } catch (error) {
        throw templateError(name, error);
      }
    },
  };
}

/** Handlebars' errors as a TemplateError: runtime ones carry a 0-based position, parse ones say "on line N". */
function templateError(name: string, error: unknown): TemplateError {
  const message = error instanceof Error ? error.message : String(error);
  const { lineNumber, column } = error as { lineNumber?: unknown; column?: unknown };
  if (typeof lineNumber === 'number') {
    const plain = message.replace(/ - \d+:\d+$/, '').replace(/ not defined in \[object Object\]$/, ' is not a field rlsgen gives this template');
    return new TemplateError(name, plain, lineNumber, typeof column === 'number' ? column + 1 : null);
  }
  const parsed = /^Parse error on line (\d+):/.exec(message);
  if (parsed !== null) return new TemplateError(name, message.split('\n').slice(-1)[0] ?? message, Number(parsed[1]), null);
  return new TemplateError(name, message, null, null);
}

/** A template's syntax error, or null: Handlebars compiles lazily, so a broken override fails only when rendered. */
export function templateSyntaxError(name: string, source: string): TemplateError | null {
  try {
    Handlebars.parse(source);
    return null;
  } catch (error) {
    return templateError(name, error);
  }
}
