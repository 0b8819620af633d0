-- rlsgen: {"step":"bootstrap","stage":"prepare"}
-- Rollback of the bootstrap. The roles stay: roles are cluster-wide and may
-- serve other databases; drop them by hand once nothing uses them.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

REVOKE USAGE ON SCHEMA public FROM rental_app;
DROP PROCEDURE IF EXISTS rlsgen.backfill(regclass, name, name, text, integer, text);
DROP TABLE IF EXISTS rlsgen.backfill_progress;
DROP TABLE IF EXISTS rlsgen.replaced_constraints;
DROP SCHEMA IF EXISTS rlsgen;
