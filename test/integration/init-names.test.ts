import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/apply/apply-migrations.js';
import { withClient } from '../../src/db/server.js';
import { initManifest } from '../../src/init/init-manifest.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { verifyIsolation } from '../../src/verify/verify-isolation.js';
import { generateMigrations } from '../../src/write/generate-migrations.js';
import { freshDatabase, runSqlFile, testServers } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * `rlsgen init` on names that need quoting: a schema with a space, tables
 * named `Order Lines`, `say "hi"` and `a.b`, columns with spaces and dots,
 * partitions named `Events 2024` and `Events.2025`. The manifest it writes
 * reads back to the same tables, generates, applies and proves isolation.
 */
describe.each(testServers())('init with odd names on $label', (server) => {
  it('writes a manifest that names every table right and proves isolation without edits', async () => {
    const db = await freshDatabase(server, 'odd');
    try {
      await runSqlFile(db.connection, 'test/fixtures/odd-names/schema.sql');
      await runSqlFile(db.connection, 'test/fixtures/odd-names/data.sql');
      const tag = `${server.versionNum}_${process.pid}`;
      const text = await withClient(db.connection, (c) =>
        initManifest(c, { tenantTable: '"crm data"."Companies"', tenantColumn: 'company_id', appRole: `odd_app_${tag}`, crossRole: `odd_support_${tag}` }),
      );
      const loaded = loadManifest(text, 'policies.yaml');
      expect(loaded.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
      if (!loaded.ok) return;
      const names = loaded.model.tables.map((t) => `${t.name.schema}|${t.name.name}`).sort();
      expect(names).toEqual(['crm data|Companies', 'crm data|Events', 'crm data|Order Lines', 'crm data|say "hi"', 'crm data|users', 'public|a.b']);
      const events = loaded.model.tables.find((t) => t.name.name === 'Events');
      expect(events?.partitions.map((p) => `${p.name.schema}|${p.name.name}`).sort()).toEqual(['crm data|Events 2024', 'crm data|Events.2025']);
      expect(events?.partitionKey).toEqual(['at day']);
      const dir = tempDir('odd-names');
      writeFileSync(join(dir, 'policies.yaml'), text);
      const generated = generateMigrations({ manifestPath: join(dir, 'policies.yaml'), outDir: join(dir, 'generated-sql') });
      expect(generated.kind).toBe('written');
      await applyMigrations({ connection: db.connection, dir: join(dir, 'generated-sql') });
      const proof = await withClient(db.connection, (client) => verifyIsolation({ model: loaded.model, client }));
      expect(proof.tables.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((c) => `${t.table} ${c.check}: ${c.detail}`))).toEqual([]);
      expect(proof.ok).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
