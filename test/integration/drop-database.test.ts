import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withClient } from '../../src/db/server.js';
import { dropTestDatabase, freshDatabase, type TestServer, testServers } from '../helpers/servers.js';

// pg.Pool's end() resolves before its connections are closed. A database
// dropped WITH (FORCE) at once terminated them first (42 times in 100), and the
// ended pool re-emitted the FATAL as an 'error' no test listens to: an
// unhandled error that fails the whole run after every test passed. The
// helpers' drop waits for closing connections; this proves it does, with the
// DROP sent at once on a connection already open (the worst case).
describe.each(testServers())('dropping a test database on $label', (server: TestServer) => {
  it('right after pool.end() leaves nothing unhandled', async () => {
    await withClient(server.connection, async (admin) => {
      for (let i = 0; i < 20; i++) {
        const db = await freshDatabase(server, 'drop');
        const pool = new pg.Pool({ ...db.connection, max: 10 });
        // Ten connections, each used once, all idle in the pool when it ends.
        const clients = await Promise.all(
          Array.from({ length: 10 }, async () => {
            const client = await pool.connect();
            await client.query('SELECT pg_sleep(0.01)');
            return client;
          }),
        );
        for (const client of clients) client.release();
        await pool.end();
        await dropTestDatabase(admin, db.connection.database);
      }
      const left = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'drop\\_%'");
      expect(left.rows[0]?.n).toBe(0);
    });
  });
});
