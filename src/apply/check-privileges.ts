import type pg from 'pg';
import { quoteIdent } from '../sql/quote.js';
import { nameAt, tokenize } from '../sql/read-sql.js';
import { MIGRATIONS_TABLE, RLSGEN_SCHEMA } from './generated-objects.js';
import type { Need, Requirement } from './required-privileges.js';

/** One thing the connecting role lacks, and every statement that needs it. */
export interface MissingPrivilege {
  /** `CREATE on database crm`, `ownership of table public.calls (owned by crm_owner)` */
  readonly what: string;
  /** How to give it: `GRANT CREATE ON DATABASE crm TO deployer`. */
  readonly fix: string;
  readonly neededBy: readonly Requirement[];
}

interface Me {
  role: string;
  superuser: boolean;
  createrole: boolean;
  database: string;
  db_create: boolean;
  version: number;
}
interface TableFacts {
  name: string;
  exists: boolean;
  owner: string | null;
  owns: boolean;
  privileges: string[];
  grantable: string[];
}
interface SchemaFacts {
  name: string;
  exists: boolean;
  owner: string | null;
  owns: boolean;
  can_create: boolean;
  grantable: string[];
}
interface RoutineFacts {
  name: string;
  exists: boolean;
  owner: string | null;
  owns: boolean;
  can_execute: boolean;
}
interface RoleFacts {
  name: string;
  exists: boolean;
  can_become: boolean;
  admin: boolean;
}
interface ExtensionFacts {
  name: string;
  installed: boolean;
  available: boolean;
  trusted: boolean;
}

const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

/** Splits a quoted qualified name back into its parts. */
const parts = (quoted: string): readonly string[] => nameAt(tokenize(quoted), 0)?.parts ?? [quoted];
const display = (quoted: string): string => parts(quoted).join('.');

/**
 * Checks every requirement against the catalogs, as the connecting role,
 * in six queries whatever the number of files. Returns what is missing,
 * one entry per privilege, with the statements that need it; empty when
 * the run can go ahead. Reads only pg_catalog.
 */
export async function checkPrivileges(client: pg.ClientBase, requirements: readonly Requirement[]): Promise<MissingPrivilege[]> {
  const facts = await readFacts(client, requirements.map((r) => r.need));
  const gaps = requirements.flatMap((requirement) => {
    const gap = evaluate(requirement, facts);
    return gap === null ? [] : [{ gap, requirement }];
  });
  return groupGaps(gaps);
}

/** What the catalogs say about every object and role the needs name, as the connecting role sees them. */
async function readFacts(client: pg.ClientBase, needs: readonly Need[]): Promise<Facts> {
  const pick = <K extends Need['kind']>(kind: K): Extract<Need, { kind: K }>[] => needs.filter((n): n is Extract<Need, { kind: K }> => n.kind === kind);
  const rlsgenTable = `${quoteIdent(RLSGEN_SCHEMA)}.${quoteIdent(MIGRATIONS_TABLE)}`;
  const tableNames = [...new Set([...pick('table-owner'), ...pick('table-privilege'), ...pick('table-grant')].map((n) => n.table).concat(pick('index-owner').map((n) => n.index), [rlsgenTable]))];
  const schemaNames = [...new Set([...pick('schema-owner'), ...pick('schema-grant'), ...pick('schema-create')].map((n) => n.schema).concat([quoteIdent(RLSGEN_SCHEMA)]))];
  const routineNames = [...new Set([...pick('routine-owner'), ...pick('routine-execute')].map((n) => n.routine))];
  const roleNames = [...new Set([...pick('role-create'), ...pick('role-exists'), ...pick('role-settings'), ...pick('become-role')].map((n) => n.role))];
  const extensionNames = [...new Set(pick('extension').map((n) => n.name))];

  const me = (
    await client.query<Me>(`SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolcreaterole AS createrole,
        pg_catalog.current_database() AS database,
        pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE') AS db_create,
        pg_catalog.current_setting('server_version_num')::int AS version
      FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user`)
  ).rows[0] as Me;
  const list = (names: readonly string[]): string => `ARRAY[${names.map((p) => `'${p}'`).join(', ')}]`;
  const tables = await client.query<TableFacts>(
    `SELECT t.name, c.oid IS NOT NULL AS exists, pg_catalog.pg_get_userbyid(c.relowner) AS owner,
            COALESCE(pg_catalog.pg_has_role(c.relowner, 'USAGE'), false) AS owns,
            ARRAY(SELECT p FROM pg_catalog.unnest(${list(TABLE_PRIVILEGES)}) AS p WHERE c.oid IS NOT NULL AND pg_catalog.has_table_privilege(c.oid, p)) AS privileges,
            ARRAY(SELECT p FROM pg_catalog.unnest(${list(TABLE_PRIVILEGES)}) AS p WHERE c.oid IS NOT NULL AND pg_catalog.has_table_privilege(c.oid, p || ' WITH GRANT OPTION')) AS grantable
       FROM pg_catalog.unnest($1::text[]) AS t(name) LEFT JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(t.name)`,
    [tableNames],
  );
  const schemas = await client.query<SchemaFacts>(
    `SELECT s.name, n.oid IS NOT NULL AS exists, pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
            COALESCE(pg_catalog.pg_has_role(n.nspowner, 'USAGE'), false) AS owns,
            COALESCE(pg_catalog.has_schema_privilege(n.oid, 'CREATE'), false) AS can_create,
            ARRAY(SELECT p FROM pg_catalog.unnest(ARRAY['USAGE', 'CREATE']) AS p WHERE n.oid IS NOT NULL AND pg_catalog.has_schema_privilege(n.oid, p || ' WITH GRANT OPTION')) AS grantable
       FROM pg_catalog.unnest($1::text[]) AS s(name) LEFT JOIN pg_catalog.pg_namespace AS n ON n.oid = pg_catalog.to_regnamespace(s.name)`,
    [schemaNames],
  );
  const routines = await client.query<RoutineFacts>(
    `SELECT r.name, count(p.oid) > 0 AS exists, pg_catalog.string_agg(DISTINCT pg_catalog.pg_get_userbyid(p.proowner), ', ') AS owner,
            COALESCE(bool_and(pg_catalog.pg_has_role(p.proowner, 'USAGE')), false) AS owns,
            COALESCE(bool_and(pg_catalog.has_function_privilege(p.oid, 'EXECUTE')), false) AS can_execute
       FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[]), pg_catalog.unnest($3::text[])) AS r(name, schema, proname)
       LEFT JOIN pg_catalog.pg_proc AS p ON p.pronamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(r.schema)) AND p.proname = r.proname
      GROUP BY r.name`,
    [routineNames, routineNames.map((r) => parts(r)[0] ?? ''), routineNames.map((r) => parts(r)[1] ?? '')],
  );
  // PostgreSQL 16 separates the right to SET ROLE from membership.
  const become = me.version >= 160000 ? 'SET' : 'MEMBER';
  const roles = await client.query<RoleFacts>(
    `SELECT n.name, r.oid IS NOT NULL AS exists,
            COALESCE(pg_catalog.pg_has_role(r.oid, '${become}'), false) AS can_become,
            COALESCE(pg_catalog.pg_has_role(r.oid, 'MEMBER WITH ADMIN OPTION'), false) AS admin
       FROM pg_catalog.unnest($1::text[]) AS n(name) LEFT JOIN pg_catalog.pg_roles AS r ON r.rolname = n.name`,
    [roleNames],
  );
  const extensions = await client.query<ExtensionFacts>(
    `SELECT n.name, e.oid IS NOT NULL AS installed,
            EXISTS (SELECT FROM pg_catalog.pg_available_extensions AS a WHERE a.name = n.name) AS available,
            COALESCE((SELECT bool_or(v.trusted) FROM pg_catalog.pg_available_extension_versions AS v WHERE v.name = n.name), false) AS trusted
       FROM pg_catalog.unnest($1::text[]) AS n(name) LEFT JOIN pg_catalog.pg_extension AS e ON e.extname = n.name`,
    [extensionNames],
  );
  return {
    me,
    tables: new Map(tables.rows.map((r) => [r.name, r])),
    schemas: new Map(schemas.rows.map((r) => [r.name, r])),
    routines: new Map(routines.rows.map((r) => [r.name, r])),
    roles: new Map(roles.rows.map((r) => [r.name, r])),
    extensions: new Map(extensions.rows.map((r) => [r.name, r])),
    rlsgenTable,
  };
}

/** One entry per missing privilege, with every statement that needs it. */
function groupGaps(gaps: readonly { readonly gap: Gap; readonly requirement: Requirement }[]): MissingPrivilege[] {
  // Ownership covers every privilege on the object: report the ownership only.
  const owned = new Set(gaps.flatMap(({ gap }) => (gap.owner === undefined ? [] : [gap.subject])));
  const missing = new Map<string, { what: string; fix: string; subjects: string[]; neededBy: Requirement[] }>();
  for (const { gap, requirement } of gaps) {
    if (gap.owner === undefined && gap.subject !== '' && owned.has(gap.subject)) continue;
    // One entry per owner for ownership ("ownership of 28 tables owned by crm_owner"), one per privilege otherwise.
    const key = gap.owner === undefined ? gap.what : `owner\u0000${gap.owner.noun}\u0000${gap.owner.name}`;
    const entry = missing.get(key) ?? { what: gap.what, fix: gap.fix, subjects: [], neededBy: [] };
    if (!entry.subjects.includes(gap.subject)) entry.subjects.push(gap.subject);
    entry.neededBy.push(requirement);
    missing.set(key, entry);
    if (gap.owner !== undefined && entry.subjects.length > 1) entry.what = ownershipOf(gap.owner.noun, entry.subjects, gap.owner.name);
  }
  return [...missing.values()].map(({ what, fix, neededBy }) => ({ what, fix, neededBy }));
}

function ownershipOf(noun: string, subjects: readonly string[], owner: string): string {
  if (subjects.length === 1) return `ownership of ${noun} ${subjects[0] ?? ''} (owned by ${owner})`;
  const shown = subjects.slice(0, 8).join(', ');
  return `ownership of ${subjects.length} ${noun === 'index' ? 'indexes' : `${noun}s`} owned by ${owner} (${shown}${subjects.length > 8 ? `, and ${subjects.length - 8} more` : ''})`;
}

interface Facts {
  readonly me: Me;
  readonly tables: ReadonlyMap<string, TableFacts>;
  readonly schemas: ReadonlyMap<string, SchemaFacts>;
  readonly routines: ReadonlyMap<string, RoutineFacts>;
  readonly roles: ReadonlyMap<string, RoleFacts>;
  readonly extensions: ReadonlyMap<string, ExtensionFacts>;
  readonly rlsgenTable: string;
}

interface Gap {
  readonly what: string;
  readonly fix: string;
  /** The object it is about (empty for database-wide needs). */
  readonly subject: string;
  /** Set when what is missing is the ownership of `subject`. */
  readonly owner?: { readonly noun: string; readonly name: string };
}

const gap = (what: string, fix: string, subject = ''): Gap => ({ what, fix, subject });
const ownerGap = (noun: string, subject: string, owner: string | null, role: string): Gap => ({
  what: ownershipOf(noun, [subject], owner ?? '?'),
  // pg_database_owner (PostgreSQL 14+) stands for the database's owner and takes no members.
  fix:
    owner === 'pg_database_owner'
      ? "run it as the database's owner (or a member of that role)"
      : `run it as ${owner ?? 'the owner'} or a role that is a member of it (GRANT ${quoteIdent(owner ?? '')} TO ${role})`,
  subject,
  owner: { noun, name: owner ?? '?' },
});

/** null when the requirement holds; else what is missing and how to give it. */
function evaluate(requirement: Requirement, facts: Facts): Gap | null {
  const { need } = requirement;
  const { me } = facts;
  const su = me.superuser;
  // null: the object exists; true: its absence is fine; false: it is missing.
  const absent = (exists: boolean | undefined): boolean | null => (exists === true ? null : requirement.createdByRun || requirement.ifExists || !requirement.generated);
  const role = quoteIdent(me.role);
  const databaseCreate = gap(`CREATE on database ${me.database}`, `GRANT CREATE ON DATABASE ${quoteIdent(me.database)} TO ${role}`);
  switch (need.kind) {
    case 'table-owner':
    case 'table-privilege':
    case 'table-grant':
    case 'index-owner': {
      const name = need.kind === 'index-owner' ? need.index : need.table;
      const t = facts.tables.get(name);
      const noun = need.kind === 'index-owner' ? 'index' : 'table';
      const gone = absent(t?.exists);
      if (gone !== null) return gone ? null : gap(`${noun} ${display(name)} does not exist`, 'create it, or remove it from the manifest and generate the migrations again', display(name));
      if (t === undefined || su || t.owns) return null;
      if (need.kind === 'table-privilege') {
        return t.privileges.includes(need.privilege) ? null : gap(`${need.privilege} on table ${display(name)}`, `GRANT ${need.privilege} ON ${name} TO ${role}`, display(name));
      }
      if (need.kind === 'table-grant' && (need.privileges.includes('ALL') ? TABLE_PRIVILEGES : need.privileges).every((p) => t.grantable.includes(p))) return null;
      return ownerGap(noun, display(name), t.owner, role);
    }
    case 'database-create':
      return su || me.db_create ? null : databaseCreate;
    case 'schema-owner':
    case 'schema-grant':
    case 'schema-create': {
      const s = facts.schemas.get(need.schema);
      const gone = absent(s?.exists);
      if (gone !== null) return gone ? null : gap(`schema ${display(need.schema)} does not exist`, 'create it, or correct the manifest and generate the migrations again', display(need.schema));
      if (s === undefined || su || s.owns) return null;
      if (need.kind === 'schema-create') {
        return s.can_create ? null : gap(`CREATE on schema ${display(need.schema)} (owned by ${s.owner ?? '?'})`, `GRANT CREATE ON SCHEMA ${need.schema} TO ${role}`, `schema ${display(need.schema)}`);
      }
      if (need.kind === 'schema-grant' && need.privileges.every((p) => s.grantable.includes(p))) return null;
      return ownerGap('schema', display(need.schema), s.owner, role);
    }
    case 'routine-owner':
    case 'routine-execute': {
      const r = facts.routines.get(need.routine);
      const gone = absent(r?.exists);
      if (gone !== null) return gone ? null : gap(`function or procedure ${display(need.routine)} does not exist`, 'apply the migration that creates it first', display(need.routine));
      if (r === undefined || su || r.owns) return null;
      if (need.kind === 'routine-execute' && r.can_execute) return null;
      if (need.kind === 'routine-execute') return gap(`EXECUTE on ${display(need.routine)} (owned by ${r.owner ?? '?'})`, `run it as ${r.owner ?? 'the owner'} or a member of it`, display(need.routine));
      return ownerGap('routine', display(need.routine), r.owner, role);
    }
    case 'role-create': {
      const r = facts.roles.get(need.role);
      if (r?.exists === true || su || me.createrole) return null;
      return gap(`CREATEROLE, to create role ${need.role}`, `create it beforehand (CREATE ROLE ${quoteIdent(need.role)} NOLOGIN NOBYPASSRLS), or ALTER ROLE ${role} CREATEROLE`);
    }
    case 'role-exists': {
      const r = facts.roles.get(need.role);
      if (r?.exists === true || requirement.createdByRun || !requirement.generated) return null;
      return gap(`role ${need.role} does not exist`, `create it (CREATE ROLE ${quoteIdent(need.role)} NOLOGIN), or correct the manifest`);
    }
    case 'role-settings': {
      const r = facts.roles.get(need.role);
      if (su || (me.createrole && (me.version < 160000 || r?.admin === true || requirement.createdByRun))) return null;
      const admin = me.version >= 160000;
      return gap(
        `the right to change the settings of role ${need.role} (superuser, or CREATEROLE${admin ? ' with ADMIN OPTION on it' : ''})`,
        `run this file as a superuser, or ALTER ROLE ${role} CREATEROLE${admin ? ` and GRANT ${quoteIdent(need.role)} TO ${role} WITH ADMIN OPTION` : ''}`,
      );
    }
    case 'become-role': {
      const r = facts.roles.get(need.role);
      if (r?.exists !== true && requirement.createdByRun) {
        // Created by an earlier statement of the run: a superuser may hand
        // objects to it; so may a CREATEROLE login once an earlier DO block of
        // a generated file makes it a member (GRANT ... TO current_user: on
        // PostgreSQL 16+ the creator holds ADMIN OPTION on a role it created,
        // before 16 CREATEROLE grants any role that is not a superuser). A
        // hand-written file may do that in ways the preflight cannot see: left
        // to PostgreSQL. Anyone else needs to be a member beforehand.
        return su || (me.createrole && (requirement.grantedByRun === true || !requirement.generated)) ? null : gap(`membership in role ${need.role}, which the migrations create, to make it an owner`, `create it beforehand (CREATE ROLE ${quoteIdent(need.role)} NOLOGIN) and GRANT ${quoteIdent(need.role)} TO ${role}, or apply as a superuser`);
      }
      if (r?.exists !== true) return gap(`role ${need.role} does not exist`, `create it (CREATE ROLE ${quoteIdent(need.role)} NOLOGIN), or correct migration.owner in the manifest`);
      // An earlier DO block (the lookups file's) makes the connecting role a member itself, which it may when it can grant the role (CREATEROLE before 16, ADMIN OPTION from 16).
      return su || r.can_become || (requirement.grantedByRun === true && me.createrole && (me.version < 160000 || r.admin === true)) ? null : gap(`membership in role ${need.role}, to make it the owner`, `GRANT ${quoteIdent(need.role)} TO ${role}`);
    }
    case 'extension': {
      const e = facts.extensions.get(need.name);
      if (e === undefined || e.installed) return null;
      if (!e.available) return gap(`extension ${need.name} is not available on this server`, `install its package on the server (it provides ${need.name}.control)`);
      if (su || (e.trusted && me.db_create)) return null;
      return e.trusted ? databaseCreate : gap(`superuser, to install extension ${need.name} (not a trusted extension)`, `have a superuser run CREATE EXTENSION ${quoteIdent(need.name)} first`);
    }
    case 'bookkeeping': {
      const schema = facts.schemas.get(quoteIdent(RLSGEN_SCHEMA));
      const table = facts.tables.get(facts.rlsgenTable);
      if (su) return null;
      if (schema?.exists !== true) return me.db_create ? null : databaseCreate;
      if (table?.exists !== true) return schema.owns || schema.can_create ? null : ownerGap('schema', RLSGEN_SCHEMA, schema.owner, role);
      const wanted = ['SELECT', need.write];
      if (table.owns || wanted.every((p) => table.privileges.includes(p))) return null;
      return ownerGap('table', `${RLSGEN_SCHEMA}.${MIGRATIONS_TABLE}`, table.owner, role);
    }
    default: {
      const never: never = need;
      throw new Error(`unknown need ${JSON.stringify(never)}`);
    }
  }
}
