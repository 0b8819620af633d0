import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed context: the tenant variable carries
 * `v1.<expires>.<backend pid>.<hmac>.<tenant>`, where
 * hmac = HMAC-SHA256(secret, `v1.<expires>.<backend pid>.<tenant>`) in hex.
 * The database recomputes it in `rlsgen.verified_tenant_<type>()` with the
 * secret only it can read, checks the expiry (0: none) and that the token was
 * made for this very backend, so a token copied to another connection, or
 * edited to name another tenant, is worth nothing. The user variable of
 * `legacy_owner` rows is signed the same way with the prefix `u1`
 * (`rlsgen.verified_user_<type>()`), so a tenant token never passes for a
 * user token or the reverse.
 */
export interface TokenClaims {
  readonly tenant: string;
  /** Unix seconds; 0 for no expiry. */
  readonly expires: number;
  readonly backendPid: number;
}

/** The claims of a signed user token: the user instead of the tenant. */
export interface UserTokenClaims {
  readonly user: string;
  readonly expires: number;
  readonly backendPid: number;
}

type Prefix = 'v1' | 'u1';

function sign(prefix: Prefix, secret: string | Buffer, subject: string, expires: number, backendPid: number): string {
  if (!Number.isSafeInteger(expires) || expires < 0) throw new RangeError('expires must be unix seconds (0: none)');
  const mac = createHmac('sha256', secret).update(`${prefix}.${expires}.${backendPid}.${subject}`, 'utf8').digest('hex');
  return `${prefix}.${expires}.${backendPid}.${mac}.${subject}`;
}

function read(prefix: Prefix, secret: string | Buffer, token: string, nowSeconds: number): { subject: string; expires: number; backendPid: number } | null {
  const match = new RegExp(`^${prefix}\\.(\\d+)\\.(\\d+)\\.([0-9a-f]{64})\\.(.+)$`, 's').exec(token);
  if (match === null) return null;
  const claims = { expires: Number(match[1]), backendPid: Number(match[2]), subject: match[4] ?? '' };
  const expected = createHmac('sha256', secret).update(`${prefix}.${claims.expires}.${claims.backendPid}.${claims.subject}`, 'utf8').digest();
  const given = Buffer.from(match[3] ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (claims.expires !== 0 && claims.expires < nowSeconds) return null;
  return claims;
}

export function signTenantToken(secret: string | Buffer, claims: TokenClaims): string {
  return sign('v1', secret, claims.tenant, claims.expires, claims.backendPid);
}

/** The claims of a token made with `secret`, or null; the same rules as the database's check. */
export function readTenantToken(secret: string | Buffer, token: string, nowSeconds: number): TokenClaims | null {
  const claims = read('v1', secret, token, nowSeconds);
  return claims === null ? null : { tenant: claims.subject, expires: claims.expires, backendPid: claims.backendPid };
}

export function signUserToken(secret: string | Buffer, claims: UserTokenClaims): string {
  return sign('u1', secret, claims.user, claims.expires, claims.backendPid);
}

export function readUserToken(secret: string | Buffer, token: string, nowSeconds: number): UserTokenClaims | null {
  const claims = read('u1', secret, token, nowSeconds);
  return claims === null ? null : { user: claims.subject, expires: claims.expires, backendPid: claims.backendPid };
}
