import type pg from 'pg';
import { readCitus } from './queries/read-citus.js';
import { readDefaultPrivileges } from './queries/read-default-privileges.js';
import { readFunctions } from './queries/read-functions.js';
import { readDatabase, readSchemas } from './queries/read-privileges.js';
import { readRoles, readRoleSettings } from './queries/read-roles.js';
import { readSequences } from './queries/read-sequences.js';
import { readServerInfo } from './queries/read-server-info.js';
import { readTables } from './queries/read-tables.js';
import { readViews } from './queries/read-views.js';
import type { DbSnapshot } from './snapshot.js';

/**
 * Reads the catalogs into a snapshot: one query per kind of object (each in
 * its file under queries/), whatever the number of tables. Works on
 * PostgreSQL 13 and newer.
 */
export async function introspectDatabase(client: pg.ClientBase): Promise<DbSnapshot> {
  const info = await readServerInfo(client);
  const tables = await readTables(client);
  const views = await readViews(client);
  const sequences = await readSequences(client);
  const functions = await readFunctions(client);
  const schemas = await readSchemas(client);
  const databaseInfo = await readDatabase(client);
  const roles = await readRoles(client);
  const defaultPrivileges = await readDefaultPrivileges(client);
  const roleSettings = await readRoleSettings(client);
  const citus = await readCitus(client);
  return Object.freeze({
    serverVersionNum: info.serverVersionNum,
    database: info.database,
    currentUser: info.currentUser,
    tables,
    views,
    sequences,
    functions,
    schemas,
    databaseInfo,
    roles,
    roleSettings,
    citus,
    defaultPrivileges,
  });
}
