-- rlsgen: {"step":"temporary-privileges","stage":"enforce"}
-- TEMPORARY on this database. Temporary tables have no row-level security
-- and live as long as the connection: behind a pool, one tenant's rows
-- copied into one are there for the next request that gets the connection.
-- TEMPORARY is revoked from PUBLIC and from the application role; the roles
-- below keep it (superusers and the database owner keep it anyway).
--
-- Locks: none beyond the database's catalog row.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The database's privileges, saved for the rollback (rlsgen.saved_state, made by the bootstrap).
INSERT INTO rlsgen.saved_state (migration, kind, object, value)
SELECT '0303_temporary_privileges', 'database', d.datname, COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))::text
  FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
ON CONFLICT DO NOTHING;
DO $rlsgen$
BEGIN
  EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', pg_catalog.current_database());
  EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM %I', pg_catalog.current_database(), 'crm_app');
END
$rlsgen$;
