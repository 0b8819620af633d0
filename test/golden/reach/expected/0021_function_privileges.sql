-- rlsgen: {"step":"function-privileges","stage":"enforce"}
-- Functions the application role must not execute. Every new function is
-- executable by PUBLIC; a SECURITY DEFINER function runs with its owner's
-- rights, so one that reads tenant tables reads every tenant's rows for
-- whoever calls it. EXECUTE is revoked from PUBLIC and from the application
-- role; grant it to the roles that need it (GRANT EXECUTE ... TO role).
--   public.customer_report(integer): a report for the head office, which calls it as its own role
--
-- Locks: none beyond the catalog rows of the grants.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  fn regprocedure;
  saved record;
  item record;
BEGIN
  fn := 'public.customer_report(integer)'::regprocedure;
  -- Saved for the rollback (rlsgen.saved_state, made by the bootstrap).
  INSERT INTO rlsgen.saved_state (migration, kind, object, value)
  SELECT '0021_function_privileges', 'function', 'public.customer_report(integer)', COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))::text
    FROM pg_catalog.pg_proc AS p WHERE p.oid = fn
  ON CONFLICT DO NOTHING;
  EXECUTE pg_catalog.format('REVOKE EXECUTE ON ROUTINE %s FROM PUBLIC', fn);
  EXECUTE pg_catalog.format('REVOKE EXECUTE ON ROUTINE %s FROM %I', fn, 'rental_app');
END
$rlsgen$;
