-- rlsgen: {"step":"temporary-privileges","stage":"enforce"}
-- TEMPORARY on this database. Temporary tables have no row-level security
-- and live as long as the connection: behind a pool, one tenant's rows
-- copied into one are there for the next request that gets the connection.
-- TEMPORARY is revoked from PUBLIC and from the application role; the roles
-- below keep it (superusers and the database owner keep it anyway).
--   rental_reporting
--
-- Locks: none beyond the database's catalog row.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What this migration changes is saved first, so its rollback restores it.
CREATE TABLE IF NOT EXISTS rlsgen.saved_privileges (
  migration text NOT NULL,
  object_kind text NOT NULL,
  object_name text NOT NULL,
  acl text,
  options text[],
  PRIMARY KEY (migration, object_kind, object_name)
);
INSERT INTO rlsgen.saved_privileges (migration, object_kind, object_name, acl)
SELECT '0021_temporary_privileges', 'database', d.datname, COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))::text
  FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
ON CONFLICT DO NOTHING;
DO $rlsgen$
BEGIN
  EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', pg_catalog.current_database());
  EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM %I', pg_catalog.current_database(), 'rental_app');
  EXECUTE pg_catalog.format('GRANT TEMPORARY ON DATABASE %I TO %I', pg_catalog.current_database(), 'rental_reporting');
END
$rlsgen$;
