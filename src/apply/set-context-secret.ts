import { randomBytes } from 'node:crypto';
import { type ConnectionInfo, withClient } from '../db/server.js';

/**
 * Stores the signed-context secret in rlsgen.context_secret (which the
 * application role cannot read) and returns it as hex, for the application's
 * secret store. A secret given as hex is stored as is; otherwise 32 random
 * bytes are made. Replacing the secret invalidates every token in flight.
 */
export async function setContextSecret(connection: ConnectionInfo, hex?: string): Promise<string> {
  const secret = hex === undefined ? randomBytes(32) : Buffer.from(hex, 'hex');
  if (hex !== undefined && (!/^([0-9a-f]{2})+$/i.test(hex) || secret.length < 32)) {
    throw new Error('the secret must be hex, 32 bytes (64 hex digits) or more');
  }
  await withClient(connection, async (client) => {
    const exists = await client.query<{ ok: boolean }>("SELECT to_regclass('rlsgen.context_secret') IS NOT NULL AS ok");
    if (exists.rows[0]?.ok !== true) throw new Error('rlsgen.context_secret does not exist: apply the migrations of a manifest with `context: signed` first');
    await client.query(
      `INSERT INTO rlsgen.context_secret (id, secret) VALUES (true, $1)
       ON CONFLICT (id) DO UPDATE SET secret = EXCLUDED.secret, updated_at = now()`,
      [secret],
    );
  });
  return secret.toString('hex');
}
