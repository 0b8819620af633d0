import Handlebars from 'handlebars';
import { quoteDollar } from '../sql/quote.js';
import { SqlText, type SqlTextKind } from './sql-text.js';

/** Template sources by name: `add-tenant-column`, `add-tenant-column.down`, `partials/header`. */
export type TemplateSources = ReadonlyMap<string, string>;

export type CompiledTemplate = (context: object) => string;

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
      return template(context);
    },
  };
}
