-- rlsgen: {"step":"views","stage":"enforce"}
-- Rollback: each view's security_invoker option and the application role's
-- privileges on it as they were before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  saved record;
  item record;
BEGIN
  FOR saved IN SELECT * FROM rlsgen.saved_privileges AS s WHERE s.migration = '0019_views' AND s.object_kind = 'view' LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %I', saved.object_name::regclass, 'rental_app');
    IF pg_catalog.current_setting('server_version_num')::integer >= 150000 THEN
      IF EXISTS (SELECT FROM pg_catalog.unnest(saved.options) AS o WHERE o LIKE 'security\_invoker=%') THEN
        EXECUTE pg_catalog.format('ALTER VIEW %s SET (%s)', saved.object_name::regclass,
          (SELECT o FROM pg_catalog.unnest(saved.options) AS o WHERE o LIKE 'security\_invoker=%'));
      ELSE
        EXECUTE pg_catalog.format('ALTER VIEW %s RESET (security_invoker)', saved.object_name::regclass);
      END IF;
    END IF;
    FOR item IN SELECT a.privilege_type FROM pg_catalog.aclexplode(saved.acl::aclitem[]) AS a
                 WHERE a.grantee = (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname = 'rental_app') LOOP
      EXECUTE pg_catalog.format('GRANT %s ON %s TO %I', item.privilege_type, saved.object_name::regclass, 'rental_app');
    END LOOP;
  END LOOP;
END
$rlsgen$;
DELETE FROM rlsgen.saved_privileges AS s WHERE s.migration = '0019_views';
DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_privileges) THEN
    DROP TABLE rlsgen.saved_privileges;
  END IF;
END
$rlsgen$;
