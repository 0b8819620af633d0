-- rlsgen: {"step":"citus-prepare","stage":"distribute"}
-- Rollback: the role setting for Citus goes.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I RESET citus.propagate_set_commands',
    'crm_app', pg_catalog.current_database());
  EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I RESET citus.propagate_set_commands',
    'crm_support', pg_catalog.current_database());
END
$rlsgen$;
