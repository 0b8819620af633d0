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
    expect(result.model.tables.filter((t) => t.mode === 'exempt').map((t) => t.key)).toEqual([
      'companies',
      'users',
      'roles',
      'audit_logs',
      'sessions',
    ]);
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

  it('rejects a scoped tenant table and a cross-tenant role equal to the app role', () => {
    expect(
      problems(`${HEAD}  cross_tenant:
    name: crm_app
tables:
  companies: {}
`),
    ).toEqual([
      'policies.yaml:10:11 error[manifest/role-conflict] roles.cross_tenant.name: the cross-tenant role must differ from the application role\n  help: the application role must never see other tenants; give super admins their own role and login',
      'policies.yaml:12:3 error[manifest/tenant-table-scoped] tables.companies: the tenant table companies cannot be tenant-scoped\n  help: declare it `mode: exempt` with a reason, or leave it out of `tables:`',
    ]);
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
    expect(m.migration).toEqual({ lockTimeout: '2s', statementTimeout: '30s', batchSize: 5000 });
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
