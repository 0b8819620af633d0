import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRlsgenSchema } from '../../src/apply/check-rlsgen-schema.js';
import { readGeneratedObjects } from '../../src/apply/generated-objects.js';
import { readMigrationFolder } from '../../src/apply/migration-folder.js';
import type { RlsgenCatalog, RlsgenObject } from '../../src/apply/rlsgen-catalog.js';
import { requiredPrivileges } from '../../src/apply/required-privileges.js';
import { splitStatements } from '../../src/sql/read-sql.js';

const folder = readMigrationFolder('generated-sql');
const signed = readMigrationFolder('test/golden/signed/expected');
const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
/** A file by its number prefix (`0001_`) or by the rest of its name (`backfill_calls.sql`), which renumbering leaves alone. */
const file = (prefix: string) => {
  const found = folder.find((f) => f.fileName.startsWith(prefix) || f.fileName.endsWith(`_${prefix}`));
  if (found === undefined) throw new Error(`no ${prefix}`);
  return found;
};

/** The text between the dollar quotes of rlsgen.backfill's body. */
function backfillBody(sql: string): string {
  const start = sql.indexOf('AS $rlsgen$', sql.indexOf('PROCEDURE rlsgen.backfill')) + 'AS $rlsgen$'.length;
  return sql.slice(start, sql.indexOf('$rlsgen$', start));
}

describe('reading SQL back', () => {
  it('splits at top-level semicolons only, whatever the quoting', () => {
    const sql = [
      "SELECT 'a;b', E'c\\';d', \"we;ird\";",
      '/* one /* nested; */ comment; */ DO $x$ BEGIN PERFORM 1; END $x$;',
      '-- a comment; with a semicolon',
      'SELECT $1, a$b FROM t',
    ].join('\n');
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.tokens[0]?.value)).toEqual(['select', 'do', 'select']);
    expect(statements.map((s) => s.line)).toEqual([1, 2, 4]);
    expect(statements[0]?.tokens.map((t) => t.value)).toEqual(['select', 'a;b', ",", "c';d", ',', 'we;ird']);
    expect(statements[1]?.tokens[1]).toMatchObject({ kind: 'dollar', value: ' BEGIN PERFORM 1; END ' });
  });
});

describe('what the migration files create in the rlsgen schema', () => {
  it('reads each routine body exactly as pg_proc.prosrc will hold it', () => {
    const generated = readGeneratedObjects(folder);
    const bootstrap = file('0001_').sql;
    const body = backfillBody(bootstrap);
    expect(generated.routines.find((r) => r.name === 'backfill')).toEqual({ kind: 'procedure', name: 'backfill', bodyDigest: sha(body), file: '0001_bootstrap.sql' });
    expect(generated.routines.filter((r) => r.name.startsWith('fill_')).length).toBeGreaterThan(20);
    expect([...generated.tables].sort()).toEqual(['backfill_progress', 'migrations', 'replaced_constraints', 'saved_state']);
    expect(generated.routines.map((r) => r.name)).toEqual(expect.arrayContaining(['default_sequences', 'save_access', 'restore_access']));
    expect(generated.grants).toEqual([]);
  });

  it('finds the signed context function inside dynamic SQL, and its grants', () => {
    const generated = readGeneratedObjects(signed);
    expect(generated.routines.find((r) => r.name === 'verified_tenant_uuid')?.kind).toBe('function');
    expect(generated.tables).toContain('context_secret');
    expect(generated.grants).toEqual(
      expect.arrayContaining([
        { object: 'schema rlsgen', grantee: 'wa_signed_app', privilege: 'USAGE' },
        { object: 'routine rlsgen.verified_tenant_uuid', grantee: 'wa_signed_app', privilege: 'EXECUTE' },
        { object: 'routine rlsgen.verified_tenant_uuid', grantee: 'wa_signed_admin', privilege: 'EXECUTE' },
      ]),
    );
  });
});

describe('what the migration files need from the role that applies them', () => {
  const needs = (prefix: string) =>
    requiredPrivileges([{ path: file(prefix).path, sql: file(prefix).sql, table: file(prefix).meta?.table, generated: true }], 'INSERT').map((r) => ({
      need: r.need,
      line: r.line,
      createdByRun: r.createdByRun,
    }));

  it('the bootstrap: CREATE on the database, the roles, the schemas it grants on', () => {
    const found = needs('0001_');
    expect(found).toEqual(
      expect.arrayContaining([
        { need: { kind: 'database-create' }, line: 14, createdByRun: false },
        expect.objectContaining({ need: { kind: 'role-create', role: 'crm_app' } }),
        expect.objectContaining({ need: { kind: 'role-create', role: 'crm_support' } }),
        expect.objectContaining({ need: { kind: 'schema-grant', schema: 'public', privileges: ['USAGE'] }, createdByRun: false }),
        // Created by the bootstrap itself: the role it grants to, the schema it creates the procedure in.
        expect.objectContaining({ need: { kind: 'role-exists', role: 'crm_app' }, createdByRun: true }),
        expect.objectContaining({ need: { kind: 'schema-create', schema: 'rlsgen' }, createdByRun: true }),
      ]),
    );
  });

  it('a table migration: its owner and its own trigger function; REFERENCES on the tenant table once the column is required', () => {
    expect(needs('add_tenant_column_calls.sql')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ need: { kind: 'table-owner', table: 'public.calls' } }),
        expect.objectContaining({ need: { kind: 'routine-execute', routine: 'rlsgen.fill_public_calls_company_id' }, createdByRun: true }),
      ]),
    );
    expect(needs('require_tenant_calls.sql')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ need: { kind: 'table-owner', table: 'public.calls' } }),
        expect.objectContaining({ need: { kind: 'table-privilege', table: 'public.companies', privilege: 'REFERENCES' } }),
      ]),
    );
  });

  it('migration.owner: the right to become that role, for the bootstrap that hands its objects over', () => {
    const bootstrap = file('0001_');
    const found = requiredPrivileges([{ path: bootstrap.path, sql: bootstrap.sql, generated: true, owner: 'rlsgen_owner' }], 'INSERT');
    expect(found.filter((r) => r.need.kind === 'become-role')).toEqual([expect.objectContaining({ need: { kind: 'become-role', role: 'rlsgen_owner' }, line: 1 })]);
  });

  it('the lookups file: handing its functions to the lookup role counts on its own GRANT of that role to the connecting role; migration.owner does not', () => {
    const lookups = file('lookups.sql');
    const become = requiredPrivileges([{ path: lookups.path, sql: lookups.sql, generated: true }], 'INSERT').filter((r) => r.need.kind === 'become-role');
    expect(become.length).toBeGreaterThan(0);
    expect(become.every((r) => r.grantedByRun === true)).toBe(true);
    const bootstrap = file('0001_');
    const owner = requiredPrivileges([{ path: bootstrap.path, sql: bootstrap.sql, generated: true, owner: 'rlsgen_owner' }], 'INSERT').filter((r) => r.need.kind === 'become-role');
    expect(owner.map((r) => r.grantedByRun ?? false)).toEqual([false]);
  });

  it('a backfill: EXECUTE on the procedure and UPDATE on its table', () => {
    const found = needs('backfill_calls.sql');
    expect(found.map((f) => f.need)).toEqual(
      expect.arrayContaining([
        { kind: 'routine-execute', routine: 'rlsgen.backfill' },
        { kind: 'table-privilege', table: 'public.calls', privilege: 'UPDATE' },
      ]),
    );
  });
});

describe('the trust check of the rlsgen schema', () => {
  const generated = readGeneratedObjects(folder);
  const bootstrap = file('0001_').sql;
  const body = backfillBody(bootstrap);
  const procedure = (owner: string, source: string, acl: RlsgenObject['acl'] = []): RlsgenObject => ({
    kind: 'procedure',
    name: 'backfill',
    label: 'rlsgen.backfill(regclass,name,name,text,integer,text)',
    owner,
    acl: [{ grantee: owner, privilege: 'EXECUTE', grantable: false }, ...acl],
    body: source,
    extension: null,
  });
  const catalog = (owner: string, objects: RlsgenObject[]): RlsgenCatalog => ({
    schema: { owner, acl: [{ grantee: owner, privilege: 'USAGE', grantable: false }, { grantee: owner, privilege: 'CREATE', grantable: false }] },
    objects,
    roles: [
      { name: 'postgres', superuser: true, memberOf: [] },
      { name: 'crm_owner', superuser: false, memberOf: [] },
      { name: 'dba', superuser: false, memberOf: ['crm_owner'] },
      { name: 'weak', superuser: false, memberOf: [] },
    ],
  });
  const anchors = { namedOwner: null, owners: ['crm_owner'] };

  it('trusts the table owner, its members and superusers when the bodies are the generated ones', () => {
    for (const owner of ['crm_owner', 'dba', 'postgres']) expect(checkRlsgenSchema(catalog(owner, [procedure(owner, body)]), generated, anchors)).toEqual([]);
  });

  it('names every object another role owns, a body that differs, and EXECUTE for PUBLIC', () => {
    const problems = checkRlsgenSchema(catalog('weak', [procedure('weak', "BEGIN RAISE EXCEPTION 'ran as %', current_user; END", [{ grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false }])]), generated, anchors);
    expect(problems.map((p) => [p.object, p.owner])).toEqual([
      ['schema rlsgen', 'weak'],
      ['procedure rlsgen.backfill(regclass,name,name,text,integer,text)', 'weak'],
    ]);
    expect(problems[1]?.problems).toEqual([
      'owned by weak, a role apply does not trust',
      expect.stringMatching(/^its body differs from what rlsgen generated \(sha256 [0-9a-f]{12} in the database, [0-9a-f]{12} in 0001_bootstrap\.sql\)$/),
      'PUBLIC has EXECUTE on it (REVOKE EXECUTE ON ROUTINE rlsgen.backfill(regclass,name,name,text,integer,text) FROM PUBLIC)',
    ]);
  });

  it('a body edited by a trusted owner is still refused; so is anything rlsgen does not create', () => {
    const view: RlsgenObject = { kind: 'view', name: 'migrations_v', label: 'rlsgen.migrations_v', owner: 'postgres', acl: [], body: null, extension: null };
    const problems = checkRlsgenSchema(catalog('postgres', [procedure('postgres', `${body}-- edited`), view]), generated, anchors);
    expect(problems.map((p) => p.problems[0])).toEqual([expect.stringMatching(/^its body differs/), 'not created by any migration of rlsgen']);
  });

  it("an extension a migration installs in the schema (pgcrypto, for the signed context) is the extension's", () => {
    const crypt = (extension: string): RlsgenObject => ({
      kind: 'function',
      name: 'crypt',
      label: 'rlsgen.crypt(text,text)',
      owner: 'postgres',
      acl: [{ grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false }],
      body: 'pg_crypt',
      extension,
    });
    const signedObjects = readGeneratedObjects(signed);
    expect(signedObjects.extensions).toEqual(['pgcrypto']);
    expect(checkRlsgenSchema(catalog('postgres', [crypt('pgcrypto')]), signedObjects, anchors)).toEqual([]);
    expect(checkRlsgenSchema(catalog('postgres', [crypt('hstore')]), signedObjects, anchors).map((p) => p.problems)).toEqual([['part of extension hstore, which no migration of rlsgen installs']]);
  });

  it('with migration.owner, only that role (and its members, and superusers) is trusted', () => {
    const named = { namedOwner: 'dba', owners: ['crm_owner'] };
    expect(checkRlsgenSchema(catalog('dba', [procedure('dba', body)]), generated, named)).toEqual([]);
    expect(checkRlsgenSchema(catalog('crm_owner', [procedure('crm_owner', body)]), generated, named).map((p) => p.object)).toEqual([
      'schema rlsgen',
      'procedure rlsgen.backfill(regclass,name,name,text,integer,text)',
    ]);
  });

  it('without the migrations folder: owners and PUBLIC only', () => {
    expect(checkRlsgenSchema(catalog('crm_owner', [procedure('crm_owner', 'anything')]), null, anchors)).toEqual([]);
    expect(checkRlsgenSchema(catalog('crm_owner', [procedure('weak', 'anything')]), null, anchors).map((p) => p.problems)).toEqual([['owned by weak, a role apply does not trust']]);
  });
});
