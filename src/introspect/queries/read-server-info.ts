import type pg from 'pg';
import { queryRows } from './catalog-sql.js';

export interface ServerInfo {
  readonly serverVersionNum: number;
  readonly database: string;
  readonly currentUser: string;
}

/** The server's version, the database and the connected role. */
export async function readServerInfo(client: pg.ClientBase): Promise<ServerInfo> {
  const [info] = await queryRows<{ version: string; database: string; current_user: string }>(
    client,
    "SELECT current_setting('server_version_num') AS version, current_database() AS database, current_user AS current_user",
  );
  return { serverVersionNum: Number(info?.version ?? 0), database: info?.database ?? '', currentUser: info?.current_user ?? '' };
}
