import type pg from 'pg';
import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import { signTenantToken, signUserToken } from './signed-token.js';
import { formatTenantId, type TenantIdOf, type TenantIdType } from './tenant-id.js';

/** How the tenant reaches the database. */
export type ContextMode =
  /** `set_config(name, id, true)`, the first statement of the transaction. */
  | 'plain'
  /** A token signed with a secret the database verifies (manifest `context: signed`). */
  | 'signed'
  /** `SET LOCAL citus.propagate_set_commands = 'local'` then `SET LOCAL name = 'id'`, which Citus copies to its workers (set_config does not reach them). */
  | 'citus';

export interface TenantContextOptions<T extends TenantIdType = 'uuid'> {
  /** The manifest's `tenant.type` (default `uuid`). */
  readonly type?: T;
  /** The manifest's `tenant.setting` (default `app.company_id`). */
  readonly setting?: string;
  /** For `legacy_owner` tables: the manifest's `user.setting` and `user.type`. */
  readonly userSetting?: string;
  readonly userType?: TenantIdType;
  readonly mode?: ContextMode;
  /** Signed mode: the secret stored in `rlsgen.context_secret`, as bytes or hex (at least 32 bytes). */
  readonly secret?: string | Buffer;
  /** Signed mode: token lifetime in seconds (default 300; 0 for none). */
  readonly tokenTtlSeconds?: number;
  /**
   * The manifest's `roles.app.idle_in_transaction_session_timeout` (`'30s'`,
   * or milliseconds): set transaction-locally with the tenant, because a role
   * setting on the application role does not reach the logins that are its
   * members. The server ends a transaction left idle longer than this.
   */
  readonly idleInTransactionSessionTimeout?: string | number;
}

export interface WithTenantOptions {
  /** The user id for `legacy_owner` rows (rows without a tenant stay visible to their owner). */
  readonly userId?: unknown;
}

export class TenantContextError extends Error {
  override readonly name = 'TenantContextError';
}

const SETTING = /^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$/;

function checkSetting(name: string): string {
  if (!SETTING.test(name)) throw new TenantContextError(`${JSON.stringify(name)} is not a setting name of the form prefix.name`);
  return name;
}

/** `SET LOCAL app.company_id = '...'`: SET takes no bind parameters, so the value is validated, then quoted. */
function setLocal(name: string, value: string): string {
  const [prefix, rest] = name.split('.') as [string, string];
  return `SET LOCAL ${quoteIdent(prefix)}.${quoteIdent(rest)} = ${quoteLiteral(value)}`;
}

const PROPAGATE_SET = "SET LOCAL citus.propagate_set_commands = 'local'";

const IDLE_TIMEOUT = 'idle_in_transaction_session_timeout';
const DURATION = /^\d+\s*(us|ms|s|min|h|d)?$/;

function checkDuration(value: string | number | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'number' ? Number.isSafeInteger(value) && value >= 0 : DURATION.test(value)) return String(value);
  throw new TenantContextError(`idleInTransactionSessionTimeout must be a PostgreSQL duration ('30s') or milliseconds, got ${JSON.stringify(value)}`);
}

/** `SELECT set_config($1, $2, true), set_config($3, $4, true), ...` for each pair. */
function setConfigs(pairs: readonly (readonly [string, string])[]): { text: string; values: string[] } {
  return { text: `SELECT ${pairs.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, values: pairs.flat() };
}

const GUARDED = Symbol('rlsgen tenant pool');

interface GuardedPool {
  [GUARDED]?: { connect: () => Promise<pg.PoolClient> };
}

/**
 * A pool whose connections are only reachable through `withTenant`: once a
 * pg.Pool is scoped, `pool.query()` and `pool.connect()` outside `withTenant`
 * throw instead of running with no tenant, or with the tenant a previous
 * request left on the connection.
 */
export class TenantPool<T extends TenantIdType = 'uuid'> {
  readonly type: T;
  readonly setting: string;
  readonly userSetting: string;
  readonly userType: TenantIdType;
  readonly mode: ContextMode;
  private readonly secret: Buffer | undefined;
  private readonly ttl: number;
  private readonly idleTimeout: string | null;
  private readonly connect: () => Promise<pg.PoolClient>;

  constructor(
    readonly pool: pg.Pool,
    options: TenantContextOptions<T> = {},
  ) {
    this.type = (options.type ?? 'uuid') as T;
    this.setting = checkSetting(options.setting ?? 'app.company_id');
    this.userSetting = checkSetting(options.userSetting ?? 'app.user_id');
    this.userType = options.userType ?? 'uuid';
    this.mode = options.mode ?? 'plain';
    this.secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'hex') : options.secret;
    this.ttl = options.tokenTtlSeconds ?? 300;
    this.idleTimeout = checkDuration(options.idleInTransactionSessionTimeout);
    if (this.mode === 'signed' && (this.secret === undefined || this.secret.length < 32)) {
      throw new TenantContextError('signed mode needs the context secret (options.secret: 32 or more bytes, or their hex)');
    }
    const guarded = pool as pg.Pool & GuardedPool;
    const existing = guarded[GUARDED];
    if (existing !== undefined) {
      this.connect = existing.connect;
      return;
    }
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    this.connect = connect;
    guarded[GUARDED] = { connect };
    const refuse = (what: string) => (): never => {
      throw new TenantContextError(
        `${what} on a tenant-scoped pool outside withTenant(): it would run with no tenant, or with one left by an earlier request. Use withTenant(pool, tenantId, (client) => client.query(...)).`,
      );
    };
    // The pool object itself is the guard: code holding it cannot bypass the tenant.
    Object.defineProperty(pool, 'query', { value: refuse('pool.query()'), configurable: true, writable: true });
    Object.defineProperty(pool, 'connect', { value: refuse('pool.connect()'), configurable: true, writable: true });
  }

  /** The statements that open the tenant context, after BEGIN. */
  private async openContext(client: pg.PoolClient, tenant: string, user: string | null): Promise<void> {
    // A role setting on the application role does not reach the logins
    // that are its members (measured): the idle timeout is sent here too.
    const idle: (readonly [string, string])[] = this.idleTimeout === null ? [] : [[IDLE_TIMEOUT, this.idleTimeout]];
    switch (this.mode) {
      case 'plain': {
        const statement = setConfigs([[this.setting, tenant], ...(user === null ? [] : [[this.userSetting, user] as const]), ...idle]);
        await client.query(statement.text, statement.values);
        return;
      }
      case 'citus':
        // Propagation is switched on here too, for the same reason.
        await client.query(
          [PROPAGATE_SET, setLocal(this.setting, tenant), ...(user === null ? [] : [setLocal(this.userSetting, user)]), ...idle.map(([n, v]) => `SET LOCAL ${n} = ${quoteLiteral(v)}`)].join('; '),
        );
        return;
      case 'signed': {
        // The token is bound to this transaction's backend: with transaction
        // pooling (PgBouncer) that is only known once the transaction runs.
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const expires = this.ttl === 0 ? 0 : Math.floor(Date.now() / 1000) + this.ttl;
        const claims = { expires, backendPid: rows[0]?.pid ?? 0 };
        const secret = this.secret ?? Buffer.alloc(0);
        const token = signTenantToken(secret, { ...claims, tenant });
        const userToken = user === null ? [] : [[this.userSetting, signUserToken(secret, { ...claims, user })] as const];
        const statement = setConfigs([[this.setting, token], ...userToken, ...idle]);
        await client.query(statement.text, statement.values);
        return;
      }
      default: {
        const never: never = this.mode;
        throw new TenantContextError(`unknown mode ${String(never)}`);
      }
    }
  }

  /**
   * Runs `fn` in a transaction whose first statement sets the tenant
   * transaction-locally; commits when `fn` resolves, rolls back when it
   * throws, and always gives the connection back with nothing of the tenant
   * left on it (a broken connection is destroyed, not reused). The client
   * passed to `fn` stops working when `fn` ends.
   */
  async withTenant<R>(tenantId: TenantIdOf<T>, fn: (client: pg.PoolClient) => Promise<R>, options: WithTenantOptions = {}): Promise<R> {
    const tenant = formatTenantId(this.type, tenantId);
    const user = options.userId === undefined ? null : formatTenantId(this.userType, options.userId);
    const client = await this.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    let open = true;
    const scoped = new Proxy(client, {
      get(target, property, receiver) {
        if (!open) {
          throw new TenantContextError('this client belonged to a withTenant() call that has ended; run queries inside the callback');
        }
        if (property === 'release') {
          return () => {
            throw new TenantContextError('withTenant() releases the client itself');
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    try {
      await client.query('BEGIN');
      await this.openContext(client, tenant, user);
      const result = await fn(scoped);
      const commit = await client.query('COMMIT');
      // COMMIT of a transaction that failed inside fn (an error caught there) rolls back.
      if (commit.command === 'ROLLBACK') {
        throw new TenantContextError('the transaction failed inside withTenant() and was rolled back; nothing was committed');
      }
      return result;
    } catch (error) {
      if (broken === undefined) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      }
      throw error;
    } finally {
      open = false;
      client.removeListener('error', onError);
      // A connection that failed mid-transaction is destroyed rather than reused.
      client.release(broken ?? undefined);
    }
  }
}

/**
 * The pool's own connect, which the guard hides from everyone else: for
 * rlsgen's lookups only, which run one fixed statement outside a transaction
 * (no tenant to set). Not exported from `rlsgen/runtime`.
 */
export function unscopedConnect(pool: TenantPool<TenantIdType> | pg.Pool): () => Promise<pg.PoolClient> {
  const raw = pool instanceof TenantPool ? pool.pool : pool;
  if ((raw as pg.Pool & GuardedPool)[GUARDED] === undefined) new TenantPool(raw);
  const guard = (raw as pg.Pool & GuardedPool)[GUARDED];
  if (guard === undefined) throw new TenantContextError('internal: the pool is not guarded');
  return guard.connect;
}

/** Scopes a pg.Pool to tenants (idempotent): see {@link TenantPool}. */
export function createTenantPool<T extends TenantIdType = 'uuid'>(pool: pg.Pool, options: TenantContextOptions<T> = {}): TenantPool<T> {
  return new TenantPool(pool, options);
}

/**
 * `withTenant(pool, tenantId, fn)`: {@link TenantPool.withTenant} on a
 * tenant pool (or a pg.Pool scoped with default options on first use).
 */
export function withTenant<R, T extends TenantIdType = 'uuid'>(
  pool: TenantPool<T> | pg.Pool,
  tenantId: TenantIdOf<T>,
  fn: (client: pg.PoolClient) => Promise<R>,
  options: WithTenantOptions = {},
): Promise<R> {
  const scoped = pool instanceof TenantPool ? pool : (new TenantPool(pool) as unknown as TenantPool<T>);
  return scoped.withTenant(tenantId, fn, options);
}
