-- rlsgen: {"step":"function-privileges","stage":"enforce"}
-- Rollback: EXECUTE for PUBLIC and the application role as it was before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  saved record;
  item record;
BEGIN
  FOR saved IN SELECT * FROM rlsgen.saved_state AS s WHERE s.migration = '0021_function_privileges' AND s.kind = 'function' LOOP
    FOR item IN SELECT a.grantee FROM pg_catalog.aclexplode(saved.value::aclitem[]) AS a
                 WHERE a.privilege_type = 'EXECUTE' AND (a.grantee = 0 OR a.grantee = (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname = 'rental_app')) LOOP
      EXECUTE pg_catalog.format('GRANT EXECUTE ON ROUTINE %s TO %s', saved.object::regprocedure,
        CASE WHEN item.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident('rental_app') END);
    END LOOP;
  END LOOP;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0021_function_privileges' AND s.kind = 'function';
END
$rlsgen$;
