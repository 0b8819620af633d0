import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/manifest/diagnostic.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Model } from '../../src/manifest/model.js';

const HEAD = `version: 1
tenant:
  column: company_id
  type: uuid
  references: companies(id)
roles:
  app:
    name: crm_app
`;

function problems(yaml: string): string[] {
  const result = loadManifest(yaml, 'policies.yaml');
  return result.diagnostics.map((d) => formatDiagnostic(d, { color: false }));
}

function model(yaml: string): Model {
  const result = loadManifest(yaml, 'policies.yaml');
  if (!result.ok) throw new Error(problems(yaml).join('\n'));
  return result.model;
}

describe('loadManifest: the example manifest', () => {
  it('loads policies.yaml with no diagnostics', () => {
    const result = loadManifest(readFileSync('policies.yaml', 'utf8'), 'policies.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.tables).toHaveLength(32);
    expect(result.model.tables.filter((t) => t.mode === 'exempt').map((t) => t.key)).toEqual(['roles']);
    expect(result.model.tables.find((t) => t.key === 'companies')).toMatchObject({ mode: 'tenant', tenantTable: true, commands: ['select'] });
    expect(result.model.lookups.map((l) => [l.name, l.table, l.key, l.returns])).toEqual([
      ['user_by_email', 'users', ['email'], ['id', 'company_id', 'password_hash']],
      ['session_by_token', 'sessions', ['token_hash'], ['user_id', 'company_id', 'expires_at']],
    ]);
    expect(result.model.roles.lookup).toEqual({ name: 'crm_lookup', create: true });
    expect(result.model.roles.app.idleInTransactionSessionTimeout).toBe('30s');
    expect(result.model.user).toMatchObject({ table: 'users', key: 'id' });
  });
});

describe('loadManifest: errors name file, line, column and key', () => {
  it('reports an unknown key with a suggestion', () => {
    expect(
      problems(`${HEAD}tables:
  calls:
    legacy_ownr: user_id
`),
    ).toEqual([
      'policies.yaml:11:5 error[manifest/unknown-key] tables.calls.legacy_ownr: unknown key "legacy_ownr"\n  help: did you mean "legacy_owner"?',
    ]);
  });

  it('reports a misspelt enum value with a suggestion', () => {
    expect(
      problems(`${HEAD}tables:
  calls:
    mode: tennant
`),
    ).toEqual([
      'policies.yaml:11:11 error[manifest/invalid-value] tables.calls.mode: "tennant" is not one of tenant, shared, exempt\n  help: did you mean "tenant"?',
    ]);
  });

  it('reports a missing required key at its parent', () => {
    expect(
      problems(`version: 1
tenant:
  column: company_id
  references: companies(id)
roles:
  app:
    name: crm_app
tables:
  calls: {}
`),
    ).toEqual(['policies.yaml:3:3 error[manifest/missing-key] tenant: missing required key "type"']);
  });

  it('reports a YAML duplicate key', () => {
    expect(
      problems(`${HEAD}tables:
  calls: {}
  calls: {}
`),
    ).toEqual(['policies.yaml:11:3 error[manifest/duplicate-key] this key appears twice in the same mapping']);
  });

  it('reports a table declared twice under two spellings', () => {
    expect(
      problems(`${HEAD}tables:
  calls: {}
  public.calls: {}
`),
    ).toEqual([
      'policies.yaml:11:3 error[manifest/duplicate-table] tables["public.calls"]: table public.calls is declared twice (first as "calls" at line 10)',
    ]);
  });

  it('rejects an existing tenant column of another type', () => {
    expect(
      problems(`${HEAD}tables:
  contacts:
    existing_column: bigint
`),
    ).toEqual([
      'policies.yaml:11:22 error[manifest/type-mismatch] tables.contacts.existing_column: existing column type bigint does not match tenant.type uuid\n  help: the tenant column must have the same type everywhere, or foreign keys and policy comparisons fail',
    ]);
  });

  it('rejects a backfill path through an undeclared table', () => {
    expect(
      problems(`${HEAD}tables:
  users: { mode: exempt, reason: sign-in, existing_column: uuid }
  calls:
    backfill: user_id -> user
`),
    ).toEqual([
      'policies.yaml:12:15 error[manifest/unknown-table] tables.calls.backfill: backfill path goes through "user", which is not declared in tables\n  help: did you mean "users"?',
    ]);
  });

  it('rejects a path that ends at a table without the tenant column', () => {
    expect(
      problems(`${HEAD}tables:
  users: { mode: exempt, reason: sign-in }
  calls:
    backfill: user_id -> users
`),
    ).toEqual([
      'policies.yaml:12:15 error[manifest/path-without-tenant] tables.calls.backfill: backfill path ends at users, which has no company_id column\n  help: end the path at a tenant or shared table, or mark users `existing_column: uuid`',
    ]);
  });

  it('rejects malformed hops', () => {
    expect(
      problems(`${HEAD}tables:
  calls:
    backfill: user_id => users
`),
    ).toEqual([
      'policies.yaml:11:15 error[manifest/invalid-path] tables.calls.backfill: "user_id => users": unexpected character "="\n  help: a hop is `column -> table` or `column -> table(column)`; several hops are a list',
    ]);
  });

  it('rejects backfill cycles', () => {
    const lines = problems(`${HEAD}tables:
  a:
    backfill: b_id -> b
  b:
    backfill: a_id -> a
`);
    expect(lines).toEqual([
      'policies.yaml:11:15 error[manifest/backfill-cycle] tables.a.backfill: backfill paths form a cycle: a -> b -> a\n  help: one table of the cycle must be filled from a table outside it (its owner, usually)',
    ]);
  });

  it('requires a reason for exempt tables and rejects tenant-only fields on them', () => {
    expect(
      problems(`${HEAD}tables:
  audit_logs:
    mode: exempt
    legacy_owner: user_id
`),
    ).toEqual([
      'policies.yaml:10:3 error[manifest/missing-reason] tables.audit_logs: exempt table audit_logs needs a `reason`\n  help: say why the table is not tenant-scoped; the reason is copied into the generated SQL',
      'policies.yaml:12:5 error[manifest/exempt-field] tables.audit_logs.legacy_owner: `legacy_owner` only applies to tenant and shared tables',
    ]);
  });

  it('rejects names PostgreSQL would truncate', () => {
    const long = 'x'.repeat(64);
    expect(problems(`${HEAD}tables:\n  ${long}: {}\n`)).toEqual([
      `policies.yaml:10:3 error[manifest/identifier-too-long] tables.${long}: "${long}" is longer than 63 bytes; PostgreSQL would truncate it`,
    ]);
  });

  it('collects every problem in one pass', () => {
    const lines = problems(`${HEAD}tables:
  calls:
    mode: tennant
    legacy_ownr: x
  deals:
    commands: [select, drop]
`);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['policies.yaml:11:11', 'policies.yaml:12:5', 'policies.yaml:14:24']);
  });

  it('rejects a shared tenant table, tenant-column fields on it, and a cross-tenant role equal to the app role', () => {
    expect(
      problems(`${HEAD}  cross_tenant:
    name: crm_app
tables:
  companies:
    mode: shared
  groups:
    mode: exempt
    reason: r
  users:
    backfill: group_id -> companies
`),
    ).toEqual([
      'policies.yaml:10:11 error[manifest/role-conflict] roles.cross_tenant.name: the cross-tenant role must differ from the application role\n  help: the application role must never see other tenants; give super admins their own role and login',
      'policies.yaml:13:11 error[manifest/tenant-table-shared] tables.companies.mode: the tenant table companies cannot be shared: it has no tenant column\n  help: `mode: tenant` shows each tenant its own row; `mode: exempt` shows every row',
      'policies.yaml:18:15 error[manifest/path-without-tenant] tables.users.backfill: backfill path ends at companies, which has no company_id column\n  help: end the path at a tenant or shared table, or mark companies `existing_column: uuid`',
    ]);
    expect(problems(`${HEAD}tables:
  companies:
    existing_column: uuid
    unresolved: keep
`)).toEqual([
      'policies.yaml:11:5 error[manifest/tenant-table-field] tables.companies.existing_column: `existing_column` does not apply to the tenant table: in tenant mode each tenant sees the row whose id is the current tenant',
      'policies.yaml:12:5 error[manifest/tenant-table-field] tables.companies.unresolved: `unresolved` does not apply to the tenant table: in tenant mode each tenant sees the row whose id is the current tenant',
    ]);
  });

  it('checks lookups: table, key, returns, names, and the lookup role', () => {
    expect(
      problems(`${HEAD}  lookup:
    name: crm_app
tables:
  companies: {}
  users:
    existing_column: uuid
lookups:
  user_by_email:
    table: user
    key: email
    returns: [id]
  by_two:
    table: users
    key: [email, email]
    returns: [id, company_id, id]
  bad_ref:
    table: users(email)
    key: email
    returns: [id]
  BadName:
    table: users
    key: email
    returns: [id]
`),
    ).toEqual([
      'policies.yaml:10:11 error[manifest/role-conflict] roles.lookup.name: the lookup role must be a role of its own, not the application role\n  help: it owns the lookup functions and nothing else, and reads only their columns; the application only calls the functions',
      'policies.yaml:17:12 error[manifest/unknown-table] lookups.user_by_email.table: lookup user_by_email reads "user", which is not declared in tables\n  help: did you mean "users"?',
      'policies.yaml:22:18 error[manifest/duplicate-column] lookups.by_two.key[1]: "email" is listed twice in the key',
      'policies.yaml:23:31 error[manifest/duplicate-column] lookups.by_two.returns[2]: "id" is listed twice in returns',
      'policies.yaml:25:12 error[manifest/invalid-reference] lookups.bad_ref.table: "users(email)" is not a table name\n  help: name a table of `tables:`; the columns go in `key` and `returns`',
      'policies.yaml:28:3 error[manifest/invalid-lookup-name] lookups.BadName: lookup name "BadName" is not a lower-case SQL name\n  help: use letters, digits and _ (it becomes the function rlsgen_lookup.<name>, called from every stack)',
    ]);
    expect(problems(`${HEAD}tables:\n  users: {}\nlookups:\n  x: { table: users, key: [], returns: [id] }\n`)).toEqual([
      'policies.yaml:12:27 error[manifest/invalid-value] lookups.x.key: must NOT have fewer than 1 items',
    ]);
  });

  it('binds legacy_owner to the users table of user.references', () => {
    expect(problems(`${HEAD}tables:
  users: { existing_column: uuid, unresolved: keep }
  calls:
    unresolved: keep
    legacy_owner: user_id
`).filter((p) => p.includes(' error['))).toEqual([
      "policies.yaml:13:19 error[manifest/missing-user-table] tables.calls.legacy_owner: `legacy_owner` needs the users table, so that an owner is visible only to their own tenant\n  help: declare it under `user:`, e.g. `references: users(id)`; without it, setting the user variable would reach any user's rows",
    ]);
    expect(problems(`${HEAD}user:
  references: accounts(id)
tables:
  accounts: { mode: exempt, reason: r }
`)).toEqual([
      'policies.yaml:10:15 error[manifest/path-without-tenant] user.references: the users table accounts has no company_id column, so an owner cannot be tied to the current tenant\n  help: scope accounts (mode: tenant), or mark it `existing_column: uuid`',
    ]);
    const m = model(`${HEAD}user:
  references: users(id)
tables:
  users: { existing_column: uuid, unresolved: keep }
  calls:
    unresolved: keep
    legacy_owner: user_id
`);
    expect(m.user).toEqual({ setting: 'app.user_id', type: 'uuid', table: 'users', key: 'id' });
  });
});

const PLAIN_KEY = { onDelete: 'no_action', onUpdate: 'no_action', deferrable: false, initiallyDeferred: false, match: 'simple' } as const;

describe('loadManifest: the model', () => {
  it('resolves paths, defaults and foreign keys', () => {
    const m = model(`${HEAD}defaults:
  schema: crm
tables:
  users: { mode: exempt, reason: sign-in, existing_column: uuid }
  contacts:
    foreign_keys: { owner_id: users }
  deals:
    backfill:
      first_of:
        - contact_id -> contacts
        - [owner_id -> users]
    foreign_keys:
      contact_id: contacts
      owner_id: { references: users(id), on_delete: cascade }
  flow_logs:
    backfill: wa_id -> contacts(wa_id)
  billing.invoices:
    mode: shared
`);
    const deals = m.tables.find((t) => t.key === 'deals');
    expect(deals?.name).toEqual({ schema: 'crm', name: 'deals' });
    expect(deals?.backfill).toEqual([
      [{ column: 'contact_id', table: 'contacts', match: 'id', viaForeignKey: true }],
      [{ column: 'owner_id', table: 'users', match: 'id', viaForeignKey: true }],
    ]);
    expect(deals?.foreignKeys).toEqual([
      { column: 'contact_id', table: 'contacts', references: 'id', ...PLAIN_KEY, composite: true },
      { column: 'owner_id', table: 'users', references: 'id', ...PLAIN_KEY, onDelete: 'cascade', composite: false },
    ]);
    expect(m.tables.find((t) => t.key === 'flow_logs')?.backfill).toEqual([
      [{ column: 'wa_id', table: 'contacts', match: 'wa_id', viaForeignKey: false }],
    ]);
    expect(m.tables.find((t) => t.key === 'billing.invoices')?.name).toEqual({ schema: 'billing', name: 'invoices' });
    expect(m.tables.find((t) => t.key === 'users')?.commands).toEqual([]);
    expect(m.tenant.setting).toBe('app.company_id');
    expect(m.migration).toEqual({ lockTimeout: '2s', statementTimeout: '30s', batchSize: 5000, batchPause: '0' });
  });

  it('takes a pause between backfill batches as a duration', () => {
    const ok = loadManifest(`${HEAD}migration: { batch_pause: 50ms }\ntables:\n  calls: {}\n`, 'policies.yaml');
    expect(ok.ok && ok.model.migration.batchPause).toBe('50ms');
    const bad = loadManifest(`${HEAD}migration: { batch_pause: a while }\ntables:\n  calls: {}\n`, 'policies.yaml');
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.map((d) => d.path)).toContain('migration.batch_pause');
  });

  it('warns when kept rows would be visible to nobody', () => {
    const result = loadManifest(`${HEAD}tables:\n  calls:\n    unresolved: keep\n`, 'policies.yaml');
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['manifest/unreachable-rows']);
  });

  it('parses quoted names with spaces and quotes', () => {
    const m = model(`${HEAD}tables:
  "Call Log":
    backfill: '"User Id" -> "Weird ""Users"""'
  'Weird "Users"': { mode: exempt, reason: r, existing_column: uuid, primary_key: "User Key" }
`);
    expect(m.tables[0]?.backfill).toEqual([[{ column: 'User Id', table: 'Weird "Users"', match: 'User Key', viaForeignKey: false }]]);
  });
});

describe('loadManifest: what the application role reaches besides its tables', () => {
  const TABLES = `tables:
  companies: { mode: exempt, reason: the tenant table }
  deals: { existing_column: uuid }
`;

  it('reads views, functions, acknowledgements and TEMPORARY into the model', () => {
    const m = model(`${HEAD}${TABLES}views:
  open_deals:
  reporting.deal_totals: { commands: [select], reason: the dashboard }
  Odd View:
functions:
  "report(int, varchar[])":
  billing."Monthly total"(uuid, timestamptz): { revoke_execute: false, reason: invoker only }
acknowledgements:
  - table: users
    finding: ban-exempt-tenant-data
    reason: sign-in
  - function: report(integer, character varying[])
    finding: definer-function
    reason: the report
  - role: crm_app
    finding: ban-app-role-temporary
    reason: no temp tables
database:
  temporary:
    revoke_from_public: true
    grant_to: [reporting]
`);
    expect(m.views.map((v) => [`${v.name.schema}.${v.name.name}`, v.commands, v.reason])).toEqual([
      ['public.open_deals', ['select'], null],
      ['reporting.deal_totals', ['select'], 'the dashboard'],
      ['public.Odd View', ['select'], null],
    ]);
    expect(m.functions.map((f) => [f.schema, f.name, f.argumentTypes, f.revokeExecute])).toEqual([
      ['public', 'report', 'integer, character varying[]', true],
      ['billing', 'Monthly total', 'uuid, timestamp with time zone', false],
    ]);
    expect(m.acknowledgements.map((a) => `${a.object} / ${a.finding}`)).toEqual([
      'table public.users / ban-exempt-tenant-data',
      'function public.report(integer, character varying[]) / definer-function',
      'role crm_app / ban-app-role-temporary',
    ]);
    expect(m.database).toEqual({ temporary: { revokeFromPublic: true, grantTo: ['reporting'] } });
  });

  it('defaults to nothing: no view granted, no function revoked, TEMPORARY left alone', () => {
    const m = model(`${HEAD}${TABLES}`);
    expect([m.views, m.functions, m.acknowledgements, m.database]).toEqual([[], [], [], { temporary: { revokeFromPublic: false, grantTo: [] } }]);
  });

  it('reports bad entries with their position', () => {
    expect(
      problems(`${HEAD}${TABLES}views:
  deals:
functions:
  report: {}
acknowledgements:
  - table: users
    view: v
    finding: x
    reason: y
`),
    ).toEqual([
      'policies.yaml:13:3 error[manifest/view-is-table] views.deals: public.deals is declared under tables: too; a relation is a table or a view',
      'policies.yaml:15:3 error[manifest/invalid-function] functions.report: "report": expected the argument types in parentheses, e.g. report(integer) or report()\n  help: write the function with its argument types as \\df shows them, e.g. customer_report(integer) or billing.total(uuid, date)',
      'policies.yaml:17:5 error[manifest/acknowledgement-object] acknowledgements[0]: name exactly one object (table, view, materialized_view, sequence, function, role); found table, view',
    ]);
    expect(problems(`${HEAD}${TABLES}acknowledgements:\n  - table: users\n    finding: Not An Id\n    reason: y\n`)).toEqual([
      'policies.yaml:14:14 error[manifest/invalid-value] acknowledgements[0].finding: "Not An Id" is not in the expected form\n  help: The lint rule id (`ban-exempt-tenant-data`) or verify probe id (`reference`) of the finding.',
    ]);
  });

  it('refuses to keep TEMPORARY for the application role', () => {
    expect(problems(`${HEAD}${TABLES}database:\n  temporary:\n    revoke_from_public: true\n    grant_to: [crm_app]\n`)).toEqual([
      'policies.yaml:15:16 error[manifest/temporary-app-role] database.temporary.grant_to[0]: the application role crm_app cannot keep TEMPORARY: temporary tables are what the option takes away from it',
    ]);
  });
});
