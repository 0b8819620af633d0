-- rlsgen: {"step":"views","stage":"enforce"}
-- Rollback: each view's security_invoker option and the application role's
-- privileges on it as they were before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  saved record;
  item record;
  invoker text;
BEGIN
  FOR saved IN
    SELECT s.object, max(s.value) FILTER (WHERE s.detail = 'acl') AS acl, max(s.value) FILTER (WHERE s.detail = 'options') AS options
      FROM rlsgen.saved_state AS s WHERE s.migration = '0020_views' AND s.kind = 'view'
     GROUP BY s.object
  LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %I', saved.object::regclass, 'rental_app');
    IF pg_catalog.current_setting('server_version_num')::integer >= 150000 THEN
      SELECT o INTO invoker FROM pg_catalog.unnest(saved.options::text[]) AS o WHERE o LIKE 'security\_invoker=%';
      IF invoker IS NOT NULL THEN
        EXECUTE pg_catalog.format('ALTER VIEW %s SET (%s)', saved.object::regclass, invoker);
      ELSE
        EXECUTE pg_catalog.format('ALTER VIEW %s RESET (security_invoker)', saved.object::regclass);
      END IF;
    END IF;
    FOR item IN SELECT a.privilege_type FROM pg_catalog.aclexplode(saved.acl::aclitem[]) AS a
                 WHERE a.grantee = (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname = 'rental_app') LOOP
      EXECUTE pg_catalog.format('GRANT %s ON %s TO %I', item.privilege_type, saved.object::regclass, 'rental_app');
    END LOOP;
  END LOOP;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0020_views' AND s.kind = 'view';
END
$rlsgen$;
