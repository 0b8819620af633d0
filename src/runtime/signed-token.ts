import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tenant context: `v1.<expires>.<backend pid>.<hmac>.<tenant>`, where
 * hmac = HMAC-SHA256(secret, `v1.<expires>.<backend pid>.<tenant>`) in hex.
 * The database recomputes it in `rlsgen.verified_tenant_<type>()` with the
 * secret only it can read, checks the expiry (0: none) and that the token was
 * made for this very backend, so a token copied to another connection, or
 * edited to name another tenant, is worth nothing.
 */
export interface TokenClaims {
  readonly tenant: string;
  /** Unix seconds; 0 for no expiry. */
  readonly expires: number;
  readonly backendPid: number;
}

function payload(claims: TokenClaims): string {
  return `v1.${claims.expires}.${claims.backendPid}.${claims.tenant}`;
}

export function signTenantToken(secret: string | Buffer, claims: TokenClaims): string {
  if (!Number.isSafeInteger(claims.expires) || claims.expires < 0) throw new RangeError('expires must be unix seconds (0: none)');
  const mac = createHmac('sha256', secret).update(payload(claims), 'utf8').digest('hex');
  return `v1.${claims.expires}.${claims.backendPid}.${mac}.${claims.tenant}`;
}

/** The claims of a token made with `secret`, or null; the same rules as the database's check. */
export function readTenantToken(secret: string | Buffer, token: string, nowSeconds: number): TokenClaims | null {
  const match = /^v1\.(\d+)\.(\d+)\.([0-9a-f]{64})\.(.+)$/s.exec(token);
  if (match === null) return null;
  const claims = { expires: Number(match[1]), backendPid: Number(match[2]), tenant: match[4] ?? '' };
  const expected = createHmac('sha256', secret).update(payload(claims), 'utf8').digest();
  const given = Buffer.from(match[3] ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (claims.expires !== 0 && claims.expires < nowSeconds) return null;
  return claims;
}
