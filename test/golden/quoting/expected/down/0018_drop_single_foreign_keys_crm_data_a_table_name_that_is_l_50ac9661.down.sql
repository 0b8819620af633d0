-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: the single-column foreign keys of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names back, with the
-- names and definitions they had.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  saved record;
BEGIN
  FOR saved IN
    SELECT r.constraint_name, r.definition FROM rlsgen.replaced_constraints AS r
     WHERE r.table_name = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names' AND r.column_name = 'order'
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass, saved.constraint_name, saved.definition);
  END LOOP;
  DELETE FROM rlsgen.replaced_constraints
   WHERE table_name = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names' AND column_name = 'order';
END
$rlsgen$;
