import type pg from 'pg';
import type { Model } from '../manifest/model.js';
import { signTenantToken, signUserToken } from '../runtime/signed-token.js';
import type { Signer } from './probe-session.js';

/** The database cannot be proven as given (wrong connection, missing setup): a usage problem, not a finding. */
export class VerifyPreconditionError extends Error {
  override readonly name = 'VerifyPreconditionError';
}

/** Signed context: makes tokens with the database's secret, for this backend. Null in the plain context. */
export async function signerFor(client: pg.ClientBase, model: Model): Promise<Signer | null> {
  if (model.context !== 'signed') return null;
  const secret = await client.query<{ secret: Buffer; pid: number }>('SELECT s.secret, pg_backend_pid() AS pid FROM rlsgen.context_secret AS s WHERE s.id').catch(() => ({ rows: [] }));
  const row = secret.rows[0];
  if (row === undefined) throw new VerifyPreconditionError('signed context: rlsgen.context_secret holds no secret yet; set one with `rlsgen secret`');
  const expires = (): number => Math.floor(Date.now() / 1000) + 600;
  const signer = (tenant: string, claims: { expires?: number; backendPid?: number } = {}): string =>
    signTenantToken(row.secret, { tenant, expires: claims.expires ?? expires(), backendPid: claims.backendPid ?? row.pid });
  return Object.assign(signer, { user: (user: string): string => signUserToken(row.secret, { user, expires: expires(), backendPid: row.pid }) });
}
