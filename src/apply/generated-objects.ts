import { createHash } from 'node:crypto';
import { closingParen, findWord, nameAt, type SqlToken, tokenize, wordsAt } from '../sql/read-sql.js';

/** The schema that holds rlsgen's own objects. */
export const RLSGEN_SCHEMA = 'rlsgen';

/** The bookkeeping table `rlsgen apply` creates itself (postgres-migrations' layout). */
export const MIGRATIONS_TABLE = 'migrations';

export type RoutineKind = 'function' | 'procedure';

/** A function or procedure that a migration file creates in the rlsgen schema. */
export interface GeneratedRoutine {
  readonly kind: RoutineKind;
  readonly name: string;
  /** sha256 (hex) of the body exactly as written between its quotes: what pg_proc.prosrc holds. */
  readonly bodyDigest: string;
  readonly file: string;
}

/** One privilege a migration file grants on an rlsgen object. */
export interface GeneratedGrant {
  /** `schema rlsgen`, `table rlsgen.x`, `routine rlsgen.f` */
  readonly object: string;
  /** Role name, or `PUBLIC`. */
  readonly grantee: string;
  /** Upper case: `USAGE`, `EXECUTE`, `SELECT`... */
  readonly privilege: string;
}

/** What the migration files put in the rlsgen schema, read from their text. */
export interface GeneratedObjects {
  readonly routines: readonly GeneratedRoutine[];
  /** Tables, by name (the bookkeeping table included). */
  readonly tables: readonly string[];
  readonly grants: readonly GeneratedGrant[];
  /** Extensions the files create (with no schema named, they land in the first schema of apply's search_path: rlsgen). */
  readonly extensions: readonly string[];
}

export const digestBody = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

const ALL_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  schema: ['USAGE', 'CREATE'],
  routine: ['EXECUTE'],
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'],
};

const isRlsgen = (parts: readonly string[]): boolean => parts.length === 2 && parts[0] === RLSGEN_SCHEMA;
const isPunct = (t: SqlToken | undefined, value: string): boolean => t !== undefined && t.kind === 'punct' && t.value === value;

/**
 * Reads every CREATE FUNCTION / PROCEDURE / TABLE and GRANT on the rlsgen
 * schema out of the files, including those built inside `DO` blocks and
 * dynamic SQL (the signed context creates its function through `format()`),
 * by lexing the content of every dollar-quoted string too.
 */
export function readGeneratedObjects(files: readonly { readonly fileName: string; readonly sql: string }[]): GeneratedObjects {
  const routines: GeneratedRoutine[] = [];
  const tables = new Set<string>([MIGRATIONS_TABLE]);
  const grants = new Map<string, GeneratedGrant>();
  const extensions = new Set<string>();
  const visit = (tokens: readonly SqlToken[], file: string): void => {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as SqlToken;
      if (t.kind === 'dollar') {
        visit(tokenize(t.value), file);
        continue;
      }
      if (t.kind !== 'word') continue;
      if (t.value === 'create') {
        const routine = routineAt(tokens, i, file);
        if (routine !== null) routines.push(routine);
        const table = tableAt(tokens, i);
        if (table !== null) tables.add(table);
        if (wordsAt(tokens, i + 1, 'extension')) {
          const name = nameAt(tokens, wordsAt(tokens, i + 2, 'if', 'not', 'exists') ? i + 5 : i + 2);
          if (name !== null) extensions.add(name.parts[0] as string);
        }
      } else if (t.value === 'grant') {
        for (const g of grantsAt(tokens, i)) grants.set(`${g.object}\u0000${g.grantee}\u0000${g.privilege}`, g);
      }
    }
  };
  for (const file of files) visit(tokenize(file.sql), file.fileName);
  return { routines, tables: [...tables], grants: [...grants.values()], extensions: [...extensions] };
}

function routineAt(tokens: readonly SqlToken[], at: number, file: string): GeneratedRoutine | null {
  let i = at + 1;
  if (wordsAt(tokens, i, 'or', 'replace')) i += 2;
  const kindToken = tokens[i];
  if (kindToken?.kind !== 'word' || (kindToken.value !== 'function' && kindToken.value !== 'procedure')) return null;
  const name = nameAt(tokens, i + 1);
  if (name === null || !isRlsgen(name.parts) || !isPunct(tokens[name.next], '(')) return null;
  const close = closingParen(tokens, name.next);
  if (close < 0) return null;
  for (let j = close + 1; j < tokens.length; j++) {
    const t = tokens[j] as SqlToken;
    if (isPunct(t, ';')) return null;
    // A SQL-standard body (PostgreSQL 14+) is stored parsed; prosrc is empty.
    if (wordsAt(tokens, j, 'begin', 'atomic')) return { kind: kindToken.value, name: name.parts[1] as string, bodyDigest: digestBody(''), file };
    const body = tokens[j + 1];
    if (t.kind === 'word' && t.value === 'as' && (body?.kind === 'dollar' || body?.kind === 'string')) {
      return { kind: kindToken.value, name: name.parts[1] as string, bodyDigest: digestBody(body.value), file };
    }
  }
  return null;
}

function tableAt(tokens: readonly SqlToken[], at: number): string | null {
  let i = at + 1;
  while (tokens[i]?.kind === 'word' && ['unlogged', 'temp', 'temporary'].includes((tokens[i] as SqlToken).value)) i++;
  if (!wordsAt(tokens, i, 'table')) return null;
  i++;
  if (wordsAt(tokens, i, 'if', 'not', 'exists')) i += 3;
  const name = nameAt(tokens, i);
  return name !== null && isRlsgen(name.parts) ? (name.parts[1] as string) : null;
}

/** `GRANT privileges ON [kind] objects TO grantees`, for the objects in the rlsgen schema. */
function grantsAt(tokens: readonly SqlToken[], at: number): GeneratedGrant[] {
  const end = tokens.findIndex((t, k) => k > at && isPunct(t, ';'));
  const statement = tokens.slice(at, end < 0 ? tokens.length : end);
  const on = findWord(statement, 'on');
  const to = findWord(statement, 'to', on + 1);
  if (on < 0 || to < 0) return [];
  const privileges = statement
    .slice(1, on)
    .filter((t) => t.kind === 'word' && t.value !== 'privileges')
    .map((t) => t.value.toUpperCase());
  let i = on + 1;
  const kindWord = statement[i]?.kind === 'word' ? (statement[i] as SqlToken).value : '';
  let kind: 'schema' | 'routine' | 'table' = 'table';
  if (kindWord === 'schema') kind = 'schema';
  else if (['function', 'procedure', 'routine'].includes(kindWord)) kind = 'routine';
  if (['schema', 'function', 'procedure', 'routine', 'table', 'sequence'].includes(kindWord)) i++;
  const objects: string[] = [];
  while (i < to) {
    const name = nameAt(statement, i);
    if (name === null) break;
    if (kind === 'schema' && name.parts.length === 1 && name.parts[0] === RLSGEN_SCHEMA) objects.push(`schema ${RLSGEN_SCHEMA}`);
    else if (kind !== 'schema' && isRlsgen(name.parts)) objects.push(`${kind} ${RLSGEN_SCHEMA}.${name.parts[1] as string}`);
    i = isPunct(statement[name.next], '(') ? closingParen(statement, name.next) + 1 : name.next;
    if (!isPunct(statement[i], ',')) break;
    i++;
  }
  const grantees: string[] = [];
  for (let k = to + 1; k < statement.length; k++) {
    const t = statement[k] as SqlToken;
    if (t.kind === 'word' && ['with', 'granted'].includes(t.value)) break;
    if (t.kind === 'word' && t.value === 'public') grantees.push('PUBLIC');
    else if (t.kind === 'word' || t.kind === 'quoted') grantees.push(t.value);
  }
  const expanded = privileges.flatMap((p) => (p === 'ALL' ? (ALL_PRIVILEGES[kind] ?? []) : [p]));
  return objects.flatMap((object) => grantees.flatMap((grantee) => expanded.map((privilege) => ({ object, grantee, privilege }))));
}
