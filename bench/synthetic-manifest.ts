/**
 * A manifest of `tables` tables shaped like a large application's: the
 * tenant table, users, and then, in turn, tenant tables filled from a
 * parent a few tables back (some through two hops, some through a column
 * that is not a key), tables that already have the tenant column, shared
 * tables and exempt lookup tables, with foreign keys between them.
 */
export function syntheticManifest(tables: number): string {
  const lines = [
    'version: 1',
    'tenant: { column: company_id, type: uuid, references: companies(id) }',
    'user: { setting: app.user_id, type: uuid }',
    'roles:',
    '  app: { name: bench_app }',
    '  cross_tenant: { name: bench_support }',
    'tables:',
    '  companies: { mode: exempt, reason: the tenant table }',
    '  users: { existing_column: uuid }',
  ];
  for (let i = 1; i <= tables - 2; i++) {
    const parent = i > 5 && i % 5 !== 1 ? `t${i - 5}` : 'users';
    switch (i % 5) {
      case 0:
        lines.push(`  t${i}: { existing_column: uuid, foreign_keys: { owner_id: users } }`);
        break;
      case 1:
        lines.push(`  t${i}:`, `    backfill: owner_id -> users`, '    unresolved: keep', '    legacy_owner: owner_id', `    foreign_keys: { owner_id: users }`);
        break;
      case 2:
        lines.push(`  t${i}:`, `    backfill: [parent_id -> ${parent}, owner_id -> users]`, `    foreign_keys: { parent_id: ${parent} }`);
        break;
      case 3:
        lines.push(`  "t${i}":`, `    backfill: { first_of: [parent_id -> ${parent}, code -> users(email)] }`, `    foreign_keys: { parent_id: { references: ${parent}, on_delete: cascade } }`);
        break;
      default:
        lines.push(i % 10 === 4 ? `  t${i}: { mode: shared }` : `  t${i}: { mode: exempt, reason: a lookup table }`);
    }
  }
  return `${lines.join('\n')}\n`;
}
