/**
 * How rlsgen names a database object in lint findings, verify results and
 * the manifest's acknowledgements: `table public.users`, `view public.v`,
 * `function public.report(integer)`, `role crm_app`. One spelling, so an
 * acknowledgement matches exactly the finding it names.
 */
export type ObjectKind = 'table' | 'view' | 'materialized view' | 'sequence' | 'function' | 'role';

export const OBJECT_KINDS: readonly ObjectKind[] = ['table', 'view', 'materialized view', 'sequence', 'function', 'role'];

// The names PostgreSQL prints (format_type, regprocedure) for the aliases people write.
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  serial: 'integer',
  bigserial: 'bigint',
  float8: 'double precision',
  float: 'double precision',
  float4: 'real',
  bool: 'boolean',
  varchar: 'character varying',
  char: 'character',
  decimal: 'numeric',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
};

/** Argument types as PostgreSQL prints them: `int, varchar[]` is `integer, character varying[]`. */
export function normalizeArgumentTypes(args: string): string {
  return args
    .split(',')
    .map((arg) => arg.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter((arg) => arg !== '')
    .map((arg) => {
      const [, base = arg, array = ''] = /^(.*?)((?:\[\])*)$/.exec(arg) ?? [];
      return `${TYPE_ALIASES[base] ?? base}${array}`;
    })
    .join(', ');
}

/** The label of a relation, sequence or function (with its argument types). */
export function objectLabel(kind: Exclude<ObjectKind, 'role'>, schema: string, name: string, argumentTypes?: string): string {
  return kind === 'function' ? `function ${schema}.${name}(${normalizeArgumentTypes(argumentTypes ?? '')})` : `${kind} ${schema}.${name}`;
}

export const roleLabel = (name: string): string => `role ${name}`;
