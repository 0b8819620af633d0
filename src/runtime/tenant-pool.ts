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
   * The longest a `withTenant` transaction may stay open, in milliseconds
   * (default 60,000; 0 for no bound). Past it the transaction is rolled back,
   * its connection closed, and `withTenant` rejects, whatever the callback
   * is waiting for. The same value is set, transaction-locally, as
   * `idle_in_transaction_session_timeout`, so the server ends the
   * transaction too when the application process itself is stuck.
   */
  readonly transactionTimeoutMs?: number;
  /**
   * The manifest's `roles.app.idle_in_transaction_session_timeout` (`'30s'`,
   * or milliseconds): the server-side bound sent with the tenant instead of
   * `transactionTimeoutMs`, because a role setting on the application role
   * does not reach the logins that are its members. The server ends a
   * transaction left idle longer than this.
   */
  readonly idleInTransactionSessionTimeout?: string | number;
}

export interface WithTenantOptions {
  /** The user id for `legacy_owner` rows (rows without a tenant stay visible to their owner). */
  readonly userId?: unknown;
  /** This transaction's bound, instead of the pool's `transactionTimeoutMs`. */
  readonly transactionTimeoutMs?: number;
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

/** PostgreSQL's bound on a transaction left idle; rlsgen sets it with the tenant. */
const IDLE_TIMEOUT = 'idle_in_transaction_session_timeout';
const DURATION = /^\d+\s*(us|ms|s|min|h|d)?$/;

function checkTimeout(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new TenantContextError(`transactionTimeoutMs must be a whole number of milliseconds (0: no bound), got ${ms}`);
  return ms;
}

function checkDuration(value: string | number | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === 'number' ? Number.isSafeInteger(value) && value >= 0 : DURATION.test(value)) return String(value);
  throw new TenantContextError(`idleInTransactionSessionTimeout must be a PostgreSQL duration ('30s') or milliseconds, got ${JSON.stringify(value)}`);
}

/** `SELECT set_config($1, $2, true), ...`: every name and value a bind parameter. */
function setConfigs(client: pg.PoolClient, pairs: readonly (readonly [string, string])[]): Promise<pg.QueryResult> {
  const calls = pairs.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  return client.query(`SELECT ${calls.join(', ')}`, pairs.flat());
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
  private readonly timeoutMs: number;
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
    this.timeoutMs = checkTimeout(options.transactionTimeoutMs ?? 60_000);
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
  private async openContext(client: pg.PoolClient, tenant: string, user: string | null, timeoutMs: number): Promise<void> {
    type Pair = readonly [string, string];
    // A role setting on the application role does not reach the logins that
    // are its members (measured): the server-side idle bound is sent here too.
    const idle = this.idleTimeout ?? (timeoutMs === 0 ? null : String(timeoutMs));
    const timeout: Pair[] = idle === null ? [] : [[IDLE_TIMEOUT, idle]];
    const scope: Pair[] = [[this.setting, tenant], ...(user === null ? [] : [[this.userSetting, user] as const])];
    switch (this.mode) {
      case 'plain':
        await setConfigs(client, [...scope, ...timeout]);
        return;
      case 'citus':
        // Propagation is switched on here too, for the same reason.
        await client.query(
          [PROPAGATE_SET, ...scope.map(([name, value]) => setLocal(name, value)), ...timeout.map(([name, value]) => `SET LOCAL ${name} = ${quoteLiteral(value)}`)].join('; '),
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
        const userToken: Pair[] = user === null ? [] : [[this.userSetting, signUserToken(secret, { ...claims, user })]];
        await setConfigs(client, [[this.setting, token], ...userToken, ...timeout]);
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
   * passed to `fn` stops working when `fn` ends. A transaction still open
   * after `transactionTimeoutMs` is rolled back (its connection closed) and
   * never committed.
   */
  async withTenant<R>(tenantId: TenantIdOf<T>, fn: (client: pg.PoolClient) => Promise<R>, options: WithTenantOptions = {}): Promise<R> {
    const tenant = formatTenantId(this.type, tenantId);
    const user = options.userId === undefined ? null : formatTenantId(this.userType, options.userId);
    const timeoutMs = options.transactionTimeoutMs === undefined ? this.timeoutMs : checkTimeout(options.transactionTimeoutMs);
    const client = await this.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    let open = true;
    let expired: TenantContextError | undefined;
    let timer: NodeJS.Timeout | undefined;
    const scoped = new Proxy(client, {
      get(target, property, receiver) {
        if (expired !== undefined) throw expired;
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
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          expired = new TenantContextError(
            `the withTenant() transaction was open longer than ${timeoutMs} ms (transactionTimeoutMs): it was rolled back and its connection closed; nothing was committed`,
          );
          broken ??= expired;
          // Closing the connection ends the transaction on the server at once
          // (it rolls back), whatever the callback is waiting for.
          client.end().catch(() => undefined);
        }, timeoutMs);
        timer.unref();
      }
      await this.openContext(client, tenant, user, timeoutMs);
      const result = await fn(scoped);
      // Once COMMIT is sent its outcome must not be in doubt: the bound ends here.
      clearTimeout(timer);
      if (expired !== undefined) throw expired;
      const commit = await client.query('COMMIT');
      // COMMIT of a transaction that failed inside fn (an error caught there) rolls back.
      if (commit.command === 'ROLLBACK') {
        throw new TenantContextError('the transaction failed inside withTenant() and was rolled back; nothing was committed');
      }
      return result;
    } catch (error) {
      if (expired !== undefined) {
        if (error === expired) throw error;
        throw new TenantContextError(expired.message, { cause: error });
      }
      if (broken === undefined) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      }
      throw error;
    } finally {
      clearTimeout(timer);
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
