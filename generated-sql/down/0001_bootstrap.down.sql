-- rlsgen: {"step":"bootstrap","stage":"prepare"}
-- Rollback of the bootstrap. The roles stay: roles are cluster-wide and may
-- serve other databases; drop them by hand once nothing uses them.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The roles' schema privileges as they were before.
CALL rlsgen.restore_access('0001_bootstrap', ARRAY['crm_app', 'crm_support']::name[]);
DROP PROCEDURE IF EXISTS rlsgen.backfill(regclass, name, name, text, integer, text, interval);
DROP FUNCTION IF EXISTS rlsgen.backfill_batch(text, anyelement, anyelement);
DROP TABLE IF EXISTS rlsgen.backfill_progress;
DROP TABLE IF EXISTS rlsgen.replaced_constraints;
DROP PROCEDURE IF EXISTS rlsgen.restore_access(text, name[]);
DROP PROCEDURE IF EXISTS rlsgen.save_access(text, regclass[], name[], name[]);
DROP FUNCTION IF EXISTS rlsgen.default_sequences(regclass[]);
DROP TABLE IF EXISTS rlsgen.saved_state;
DROP SCHEMA IF EXISTS rlsgen;
