/**
 * Roles whose members reach data without a grant on it, or reach past the
 * database: PostgreSQL's predefined roles
 * (https://www.postgresql.org/docs/current/predefined-roles.html) and the
 * administrator roles of the managed platforms. None of them bypasses row
 * security, but each gives the application role what no manifest granted.
 */
export interface PredefinedRole {
  readonly name: string;
  /** What a member can do, in one phrase. */
  readonly reach: string;
  /** Privileges it holds on every table, view and sequence of every schema (with USAGE on the schemas). */
  readonly relationPrivileges: readonly string[];
  readonly sequencePrivileges: readonly string[];
}

const role = (name: string, reach: string, relationPrivileges: readonly string[] = [], sequencePrivileges: readonly string[] = []): PredefinedRole => ({
  name,
  reach,
  relationPrivileges,
  sequencePrivileges,
});

export const PREDEFINED_ROLES: readonly PredefinedRole[] = [
  role('pg_read_all_data', "SELECT on every table, view and sequence, present and future: the tenant table, exempt tables and any table outside the manifest", ['SELECT'], ['SELECT']),
  role('pg_write_all_data', 'INSERT, UPDATE and DELETE on every table, view and sequence, present and future', ['INSERT', 'UPDATE', 'DELETE'], ['UPDATE']),
  role('pg_read_all_stats', "every session's query text in pg_stat_activity and pg_stat_statements: other tenants' values in their statements"),
  role('pg_monitor', "every session's query text (it includes pg_read_all_stats): other tenants' values in their statements"),
  role('pg_read_server_files', "the server's files, with COPY FROM a file"),
  role('pg_write_server_files', "the server's files, with COPY TO a file"),
  role('pg_execute_server_program', 'programs on the server, as the operating-system user running PostgreSQL (COPY ... PROGRAM)'),
  role('pg_maintain', 'LOCK TABLE, VACUUM, CLUSTER and REFRESH MATERIALIZED VIEW on every table: it can stall every tenant'),
  role('rds_superuser', "Amazon RDS's administrator role: it owns or can take over what the database holds"),
  role('cloudsqlsuperuser', "Cloud SQL's administrator role: it owns or can take over what the database holds"),
  role('azure_pg_admin', "Azure Database for PostgreSQL's administrator role: it owns or can take over what the database holds"),
];

/** The predefined roles among `roles` (a role closure), in list order. */
export function predefinedAmong(roles: ReadonlySet<string>): PredefinedRole[] {
  return PREDEFINED_ROLES.filter((r) => roles.has(r.name));
}
