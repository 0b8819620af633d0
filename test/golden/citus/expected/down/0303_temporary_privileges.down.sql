-- rlsgen: {"step":"temporary-privileges","stage":"enforce"}
-- Rollback: TEMPORARY on this database for PUBLIC, the application role and
-- the roles the migration granted it to, as it was before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  saved record;
  role_name text;
BEGIN
  SELECT * INTO saved FROM rlsgen.saved_state AS s WHERE s.migration = '0303_temporary_privileges' AND s.kind = 'database';
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOREACH role_name IN ARRAY ARRAY['crm_app']::text[] LOOP
    IF EXISTS (SELECT FROM pg_catalog.aclexplode(saved.value::aclitem[]) AS a JOIN pg_catalog.pg_roles AS r ON r.oid = a.grantee
                WHERE r.rolname = role_name AND a.privilege_type = 'TEMPORARY') THEN
      EXECUTE pg_catalog.format('GRANT TEMPORARY ON DATABASE %I TO %I', pg_catalog.current_database(), role_name);
    ELSE
      EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM %I', pg_catalog.current_database(), role_name);
    END IF;
  END LOOP;
  IF EXISTS (SELECT FROM pg_catalog.aclexplode(saved.value::aclitem[]) AS a WHERE a.grantee = 0 AND a.privilege_type = 'TEMPORARY') THEN
    EXECUTE pg_catalog.format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', pg_catalog.current_database());
  ELSE
    EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', pg_catalog.current_database());
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0303_temporary_privileges' AND s.kind = 'database';
END
$rlsgen$;
