import { quoteIdent } from '../sql/quote.js';
import { closingParen, findWord, nameAt, type SqlStatement, type SqlToken, splitStatements, tokenize, wordsAt } from '../sql/read-sql.js';

/**
 * What a statement needs from the role that runs it, read from its text
 * (https://www.postgresql.org/docs/current/ddl-priv.html): the preflight of
 * `rlsgen apply` checks all of them before the first file runs.
 */
export type Need =
  /** ALTER TABLE, CREATE INDEX/TRIGGER/POLICY ... ON it, DROP ... ON it, COMMENT ON it: "must be owner". */
  | { readonly kind: 'table-owner'; readonly table: string }
  | { readonly kind: 'table-privilege'; readonly table: string; readonly privilege: string }
  /** GRANT on a table: its owner, or each privilege WITH GRANT OPTION (else PostgreSQL grants nothing, with a warning). */
  | { readonly kind: 'table-grant'; readonly table: string; readonly privileges: readonly string[] }
  | { readonly kind: 'index-owner'; readonly index: string }
  | { readonly kind: 'database-create' }
  | { readonly kind: 'schema-owner'; readonly schema: string }
  | { readonly kind: 'schema-grant'; readonly schema: string; readonly privileges: readonly string[] }
  | { readonly kind: 'schema-create'; readonly schema: string }
  | { readonly kind: 'routine-owner'; readonly routine: string }
  | { readonly kind: 'routine-execute'; readonly routine: string }
  | { readonly kind: 'role-create'; readonly role: string }
  | { readonly kind: 'role-exists'; readonly role: string }
  | { readonly kind: 'role-settings'; readonly role: string }
  | { readonly kind: 'become-role'; readonly role: string }
  | { readonly kind: 'extension'; readonly name: string }
  /** rlsgen apply's own bookkeeping table rlsgen.migrations (created when missing). */
  | { readonly kind: 'bookkeeping'; readonly write: 'INSERT' | 'DELETE' };

export interface Requirement {
  readonly need: Need;
  /** An earlier statement of this run creates the object: nothing is needed while it does not exist. */
  readonly createdByRun: boolean;
  /** `IF EXISTS`: nothing is needed when the object does not exist. */
  readonly ifExists: boolean;
  /**
   * A become-role need whose role an earlier DO block of a generated file
   * grants to the connecting role itself (`GRANT role TO current_user`),
   * which it may do with CREATEROLE (before 16) or ADMIN OPTION (16+).
   */
  readonly grantedByRun?: boolean;
  /**
   * The file is rlsgen's: the objects it names must exist before the run.
   * A hand-written file may create them in ways the preflight cannot see
   * (dynamic SQL): a missing object is then left to PostgreSQL to report.
   */
  readonly generated: boolean;
  /** The file that needs it (null: apply's own bookkeeping). */
  readonly path: string | null;
  readonly line: number;
  /** The statement, its first line. */
  readonly statement: string;
}

/** The part of a migration file the preflight reads. */
export interface PreflightFile {
  readonly path: string;
  readonly sql: string;
  /** The table the file is about (generated files say so in their first line). */
  readonly table?: string | undefined;
  /** rlsgen wrote the file (it has rlsgen's first line). */
  readonly generated: boolean;
  /** The role the file makes the owner of rlsgen's objects (the bootstrap, with manifest `migration.owner`). */
  readonly owner?: string | undefined;
}

const qualified = (parts: readonly string[]): string | null => (parts.length === 2 ? parts.map((p) => quoteIdent(p)).join('.') : null);
const isPunct = (t: SqlToken | undefined, value: string): boolean => t !== undefined && t.kind === 'punct' && t.value === value;
const word = (t: SqlToken | undefined): string => (t?.kind === 'word' ? t.value : '');

interface Found {
  readonly need: Need;
  readonly ifExists?: boolean;
}

/**
 * Everything the files need, in order, each requirement pointing at the
 * statement that needs it. Objects created by an earlier statement of the
 * same run need nothing more (their creator owns them). Pure.
 */
export function requiredPrivileges(files: readonly PreflightFile[], bookkeeping: 'INSERT' | 'DELETE'): Requirement[] {
  const created = new Set<string>();
  const granted = new Set<string>();
  const out: Requirement[] = [{ need: { kind: 'bookkeeping', write: bookkeeping }, createdByRun: false, ifExists: false, generated: true, path: null, line: 0, statement: '' }];
  for (const file of files) {
    const statements = splitStatements(file.sql);
    for (const statement of statements) {
      const found = [...statementNeeds(statement.tokens, created)];
      for (const dollar of statement.tokens.filter((t) => t.kind === 'dollar' && word(statement.tokens[0]) === 'do')) found.push(...bodyNeeds(dollar.value, created));
      for (const f of found) {
        out.push({
          need: f.need,
          createdByRun: created.has(createdKey(f.need)),
          ifExists: f.ifExists === true,
          ...(f.need.kind === 'become-role' && granted.has(f.need.role) ? { grantedByRun: true } : {}),
          generated: file.generated,
          path: file.path,
          line: statement.line,
          statement: excerpt(statement),
        });
      }
      for (const key of createdBy(statement.tokens)) created.add(key);
      for (const f of found) if (f.need.kind === 'role-create' || f.need.kind === 'extension') created.add(createdKey(f.need));
      if (word(statement.tokens[0]) === 'do') for (const key of createdInBodies(statement.tokens)) created.add(key);
      if (file.generated && word(statement.tokens[0]) === 'do') for (const role of selfGrants(statement.tokens)) granted.add(role);
    }
    if (file.owner !== undefined) {
      out.push({ need: { kind: 'become-role', role: file.owner }, createdByRun: false, ifExists: false, generated: file.generated, path: file.path, line: 1, statement: `migration.owner: ${file.owner}` });
    }
    // Generated files name their table: the DO blocks and procedures that
    // alter it through dynamic SQL need its owner too.
    const dynamic = statements.find((s) => ['do', 'call'].includes(word(s.tokens[0])));
    if (file.table !== undefined && dynamic !== undefined) {
      const need: Need = word(dynamic.tokens[0]) === 'call' ? { kind: 'table-privilege', table: file.table, privilege: 'UPDATE' } : { kind: 'table-owner', table: file.table };
      out.push({ need, createdByRun: false, ifExists: false, generated: file.generated, path: file.path, line: dynamic.line, statement: excerpt(dynamic) });
    }
  }
  return out;
}

/**
 * Roles a generated DO block grants to the connecting role:
 * `format('GRANT %I TO %I', 'role', current_user)`, as the lookups file does.
 */
function selfGrants(tokens: readonly SqlToken[]): string[] {
  const out: string[] = [];
  for (const body of tokens.filter((t) => t.kind === 'dollar')) {
    for (const m of body.value.matchAll(/format\('GRANT %I TO %I', '((?:[^']|'')+)', current_user\)/g)) out.push((m[1] as string).replaceAll("''", "'"));
  }
  return out;
}

function excerpt(statement: SqlStatement): string {
  const first = statement.text.split('\n')[0] ?? '';
  return first.length > 100 ? `${first.slice(0, 97)}...` : first;
}

function createdKey(need: Need): string {
  switch (need.kind) {
    case 'table-owner':
    case 'table-privilege':
    case 'table-grant':
      return `table ${need.table}`;
    case 'index-owner':
      return `index ${need.index}`;
    case 'schema-owner':
    case 'schema-grant':
    case 'schema-create':
      return `schema ${need.schema}`;
    case 'routine-owner':
    case 'routine-execute':
      return `routine ${need.routine}`;
    case 'role-create':
    case 'role-exists':
    case 'role-settings':
    case 'become-role':
      return `role ${need.role}`;
    case 'extension':
      return `extension ${need.name}`;
    case 'database-create':
    case 'bookkeeping':
      return need.kind;
    default: {
      const never: never = need;
      throw new Error(`unknown need ${JSON.stringify(never)}`);
    }
  }
}

/** What a statement creates, as keys of {@link createdKey}. */
function createdBy(tokens: readonly SqlToken[]): string[] {
  if (word(tokens[0]) !== 'create') return [];
  let i = 1;
  if (wordsAt(tokens, i, 'or', 'replace')) i += 2;
  if (wordsAt(tokens, i, 'unique')) i++;
  const kind = word(tokens[i]);
  i++;
  if (kind === 'index' && wordsAt(tokens, i, 'concurrently')) i++;
  if (wordsAt(tokens, i, 'if', 'not', 'exists')) i += 3;
  const name = nameAt(tokens, i);
  if (name === null) return [];
  if (kind === 'schema') return [`schema ${quoteIdent(name.parts[0] as string)}`];
  if (kind === 'role') return [`role ${name.parts[0] as string}`];
  if (kind === 'extension') return [`extension ${name.parts[0] as string}`];
  const q = qualified(name.parts);
  if (q === null) return [];
  if (kind === 'table') return [`table ${q}`];
  if (kind === 'function' || kind === 'procedure') return [`routine ${q}`];
  if (kind === 'index') return [`index ${q}`];
  return [];
}

/** What the CREATE statements inside a DO block's body (and its dynamic SQL) create. */
function createdInBodies(tokens: readonly SqlToken[]): string[] {
  return tokens
    .filter((t) => t.kind === 'dollar')
    .flatMap((t) => {
      const inner = tokenize(t.value);
      return [...inner.flatMap((u, i) => (u.kind === 'word' && u.value === 'create' ? createdBy(inner.slice(i)) : [])), ...createdInBodies(inner)];
    });
}

/** Roles a DO block creates or alters (names in the body, or as format() arguments). */
function bodyNeeds(body: string, created: ReadonlySet<string>): Found[] {
  const tokens = tokenize(body);
  const out: Found[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (wordsAt(tokens, i, 'create', 'role')) {
      const name = nameAt(tokens, i + 2);
      if (name !== null) out.push({ need: { kind: 'role-create', role: name.parts[0] as string } });
    }
    const t = tokens[i] as SqlToken;
    // EXECUTE format('ALTER ROLE %I ... SET ...', 'role', ...)
    if (t.kind === 'string' && /^\s*ALTER ROLE %I\b[^']*\bSET\b/i.test(t.value) && isPunct(tokens[i + 1], ',') && tokens[i + 2]?.kind === 'string') {
      out.push({ need: { kind: 'role-settings', role: (tokens[i + 2] as SqlToken).value } });
    }
    if (wordsAt(tokens, i, 'create') && (wordsAt(tokens, i + 1, 'function') || wordsAt(tokens, i + 1, 'or', 'replace', 'function'))) {
      out.push(...statementNeeds(tokens.slice(i), created));
    }
    if (t.kind === 'dollar') out.push(...bodyNeeds(t.value, created));
  }
  return out;
}

/** The needs of one top-level statement. */
function statementNeeds(tokens: readonly SqlToken[], created: ReadonlySet<string>): Found[] {
  const w0 = word(tokens[0]);
  switch (w0) {
    case 'create':
      return createNeeds(tokens, created);
    case 'alter':
      return alterNeeds(tokens);
    case 'drop':
      return dropNeeds(tokens);
    case 'grant':
    case 'revoke':
      return grantNeeds(tokens, w0);
    case 'comment':
      return commentNeeds(tokens);
    case 'call': {
      const name = nameAt(tokens, 1);
      const q = name === null ? null : qualified(name.parts);
      return q === null ? [] : [{ need: { kind: 'routine-execute', routine: q } }];
    }
    case 'insert':
    case 'update':
    case 'delete': {
      const at = w0 === 'update' ? 1 : 2;
      const name = nameAt(tokens, wordsAt(tokens, at, 'only') ? at + 1 : at);
      const q = name === null ? null : qualified(name.parts);
      return q === null ? [] : [{ need: { kind: 'table-privilege', table: q, privilege: w0.toUpperCase() } }];
    }
    default:
      return [];
  }
}

function tableAfter(tokens: readonly SqlToken[], keyword: string, from: number): string | null {
  const at = findWord(tokens, keyword, from);
  if (at < 0) return null;
  const name = nameAt(tokens, wordsAt(tokens, at + 1, 'only') ? at + 2 : at + 1);
  return name === null ? null : qualified(name.parts);
}

function createNeeds(tokens: readonly SqlToken[], created: ReadonlySet<string>): Found[] {
  let i = 1;
  const orReplace = wordsAt(tokens, i, 'or', 'replace');
  if (orReplace) i += 2;
  if (wordsAt(tokens, i, 'unique')) i++;
  if (wordsAt(tokens, i, 'constraint')) i++;
  const kind = word(tokens[i]);
  switch (kind) {
    case 'schema': {
      const out: Found[] = [{ need: { kind: 'database-create' } }];
      const auth = findWord(tokens, 'authorization');
      const role = auth < 0 ? null : nameAt(tokens, auth + 1);
      if (role !== null) out.push({ need: { kind: 'become-role', role: role.parts[0] as string } });
      return out;
    }
    case 'index':
    case 'trigger':
    case 'policy': {
      const table = tableAfter(tokens, 'on', i + 1);
      const out: Found[] = table === null ? [] : [{ need: { kind: 'table-owner', table } }];
      if (kind === 'policy') {
        const to = findWord(tokens, 'to');
        for (let k = to + 1; to >= 0 && k < tokens.length; k++) {
          const t = tokens[k] as SqlToken;
          if (t.kind === 'word' && ['using', 'with'].includes(t.value)) break;
          if ((t.kind === 'word' && !['public', 'current_user', 'session_user', 'current_role'].includes(t.value)) || t.kind === 'quoted') out.push({ need: { kind: 'role-exists', role: t.value } });
        }
      }
      const exec = kind === 'trigger' ? findWord(tokens, 'execute') : -1;
      const fn = exec < 0 ? null : nameAt(tokens, exec + 2);
      const q = fn === null ? null : qualified(fn.parts);
      if (q !== null) out.push({ need: { kind: 'routine-execute', routine: q } });
      return out;
    }
    case 'function':
    case 'procedure':
    case 'table': {
      let j = i + 1;
      if (wordsAt(tokens, j, 'if', 'not', 'exists')) j += 3;
      const name = nameAt(tokens, j);
      const q = name === null ? null : qualified(name.parts);
      if (name === null || q === null) return [];
      const out: Found[] = [{ need: { kind: 'schema-create', schema: quoteIdent(name.parts[0] as string) } }];
      if (kind !== 'table' && orReplace && !created.has(`routine ${q}`)) out.push({ need: { kind: 'routine-owner', routine: q }, ifExists: true });
      return out;
    }
    case 'extension': {
      let j = i + 1;
      if (wordsAt(tokens, j, 'if', 'not', 'exists')) j += 3;
      const name = nameAt(tokens, j);
      return name === null ? [] : [{ need: { kind: 'extension', name: name.parts[0] as string } }];
    }
    case 'role': {
      const name = nameAt(tokens, i + 1);
      return name === null ? [] : [{ need: { kind: 'role-create', role: name.parts[0] as string } }];
    }
    default:
      return [];
  }
}

function ownerTo(tokens: readonly SqlToken[]): Found[] {
  const at = findWord(tokens, 'owner');
  if (at < 0 || !wordsAt(tokens, at + 1, 'to')) return [];
  const role = nameAt(tokens, at + 2);
  return role === null ? [] : [{ need: { kind: 'become-role', role: role.parts[0] as string } }];
}

function alterNeeds(tokens: readonly SqlToken[]): Found[] {
  const kind = word(tokens[1]);
  let i = 2;
  const ifExists = wordsAt(tokens, i, 'if', 'exists');
  if (ifExists) i += 2;
  if (wordsAt(tokens, i, 'only')) i++;
  const name = nameAt(tokens, i);
  if (name === null) return [];
  const q = qualified(name.parts);
  switch (kind) {
    case 'table': {
      if (q === null) return [];
      const out: Found[] = [{ need: { kind: 'table-owner', table: q }, ifExists }];
      for (let r = findWord(tokens, 'references'); r >= 0; r = findWord(tokens, 'references', r + 1)) {
        const parent = nameAt(tokens, r + 1);
        const p = parent === null ? null : qualified(parent.parts);
        if (p !== null) out.push({ need: { kind: 'table-privilege', table: p, privilege: 'REFERENCES' } });
      }
      return [...out, ...ownerTo(tokens)];
    }
    case 'schema':
      return [{ need: { kind: 'schema-owner', schema: quoteIdent(name.parts[0] as string) } }, ...ownerTo(tokens)];
    case 'function':
    case 'procedure':
    case 'routine':
      return q === null ? [] : [{ need: { kind: 'routine-owner', routine: q } }, ...ownerTo(tokens)];
    case 'role':
      return findWord(tokens, 'set') < 0 && findWord(tokens, 'reset') < 0 ? [] : [{ need: { kind: 'role-settings', role: name.parts[0] as string } }];
    case 'policy': {
      const table = tableAfter(tokens, 'on', i);
      return table === null ? [] : [{ need: { kind: 'table-owner', table } }];
    }
    default:
      return [];
  }
}

function dropNeeds(tokens: readonly SqlToken[]): Found[] {
  const kind = word(tokens[1]);
  let i = 2;
  if (wordsAt(tokens, i, 'concurrently')) i++;
  const ifExists = wordsAt(tokens, i, 'if', 'exists');
  if (ifExists) i += 2;
  const name = nameAt(tokens, i);
  if (name === null) return [];
  const q = qualified(name.parts);
  switch (kind) {
    case 'index':
      return q === null ? [] : [{ need: { kind: 'index-owner', index: q }, ifExists }];
    case 'table':
      return q === null ? [] : [{ need: { kind: 'table-owner', table: q }, ifExists }];
    case 'function':
    case 'procedure':
    case 'routine':
      return q === null ? [] : [{ need: { kind: 'routine-owner', routine: q }, ifExists }];
    case 'schema':
      return [{ need: { kind: 'schema-owner', schema: quoteIdent(name.parts[0] as string) }, ifExists }];
    case 'trigger':
    case 'policy': {
      const table = tableAfter(tokens, 'on', name.next);
      return table === null ? [] : [{ need: { kind: 'table-owner', table }, ifExists }];
    }
    default:
      return [];
  }
}

function commentNeeds(tokens: readonly SqlToken[]): Found[] {
  if (!wordsAt(tokens, 1, 'on')) return [];
  const kind = word(tokens[2]);
  const name = nameAt(tokens, 3);
  if (name === null) return [];
  if (kind === 'schema') return [{ need: { kind: 'schema-owner', schema: quoteIdent(name.parts[0] as string) } }];
  if (kind === 'table') {
    const q = qualified(name.parts);
    return q === null ? [] : [{ need: { kind: 'table-owner', table: q } }];
  }
  if (kind === 'column') {
    const q = qualified(name.parts.slice(0, -1));
    return q === null ? [] : [{ need: { kind: 'table-owner', table: q } }];
  }
  if (kind === 'constraint' || kind === 'trigger' || kind === 'policy') {
    const table = tableAfter(tokens, 'on', name.next);
    return table === null ? [] : [{ need: { kind: 'table-owner', table } }];
  }
  return [];
}

/** GRANT / REVOKE privileges ON objects TO / FROM roles. Role memberships (no ON) need no object. */
function grantNeeds(tokens: readonly SqlToken[], verb: 'grant' | 'revoke'): Found[] {
  const on = findWord(tokens, 'on');
  const target = findWord(tokens, verb === 'grant' ? 'to' : 'from', on + 1);
  if (on < 0 || target < 0) return [];
  const privileges = tokens
    .slice(1, on)
    .filter((t) => t.kind === 'word' && !['privileges', 'grant', 'option', 'for'].includes(t.value))
    .map((t) => t.value.toUpperCase());
  let i = on + 1;
  const kind = word(tokens[i]);
  if (kind === 'all') return [];
  if (['table', 'schema', 'function', 'procedure', 'routine', 'sequence'].includes(kind)) i++;
  const out: Found[] = [];
  while (i < target) {
    const name = nameAt(tokens, i);
    if (name === null) break;
    const q = qualified(name.parts);
    if (kind === 'schema') {
      const schema = quoteIdent(name.parts[0] as string);
      out.push({ need: verb === 'grant' ? { kind: 'schema-grant', schema, privileges } : { kind: 'schema-owner', schema } });
    } else if (['function', 'procedure', 'routine'].includes(kind)) {
      if (q !== null) out.push({ need: { kind: 'routine-owner', routine: q } });
    } else if (q !== null) {
      out.push({ need: verb === 'grant' ? { kind: 'table-grant', table: q, privileges } : { kind: 'table-owner', table: q } });
    }
    i = isPunct(tokens[name.next], '(') ? closingParen(tokens, name.next) + 1 : name.next;
    if (!isPunct(tokens[i], ',')) break;
    i++;
  }
  for (let k = target + 1; k < tokens.length; k++) {
    const t = tokens[k] as SqlToken;
    if (t.kind === 'word' && ['with', 'granted', 'cascade', 'restrict'].includes(t.value)) break;
    if ((t.kind === 'word' && t.value !== 'public' && t.value !== 'group') || t.kind === 'quoted') out.push({ need: { kind: 'role-exists', role: t.value } });
  }
  return out;
}
