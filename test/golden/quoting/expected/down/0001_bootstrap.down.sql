-- rlsgen: {"step":"bootstrap","stage":"prepare"}
-- Rollback of the bootstrap. The roles stay: roles are cluster-wide and may
-- serve other databases; drop them by hand once nothing uses them.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

REVOKE USAGE ON SCHEMA "CRM Data" FROM "App ""Role""";
REVOKE USAGE ON SCHEMA "CRM Data" FROM "user";
DROP PROCEDURE IF EXISTS rlsgen.backfill(regclass, name, name, text, integer, text, interval);
DROP FUNCTION IF EXISTS rlsgen.backfill_batch(text, anyelement, anyelement);
DROP TABLE IF EXISTS rlsgen.backfill_progress;
DROP TABLE IF EXISTS rlsgen.replaced_constraints;
DROP SCHEMA IF EXISTS rlsgen;
