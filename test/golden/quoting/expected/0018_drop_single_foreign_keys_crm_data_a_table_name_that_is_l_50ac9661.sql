-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: drop the single-column foreign keys the composite keys
-- replace. Kept side by side, the old key would still answer "does this id
-- exist?" for other tenants' rows (its error differs from the composite one).
-- They are found by column and referenced table, whatever their names, and
-- their definitions are kept in rlsgen.replaced_constraints for the rollback.
--
-- Locks: ACCESS EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names and the referenced tables, catalog only.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  fk record;
BEGIN
  FOR fk IN
    SELECT c.oid, c.conname
      FROM pg_catalog.pg_constraint AS c
     WHERE c.conrelid = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass
       AND c.contype = 'f'
       AND c.confrelid = '"CRM Data"."order"'::regclass
       AND c.conkey = ARRAY[(SELECT a.attnum FROM pg_catalog.pg_attribute AS a
                              WHERE a.attrelid = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass AND a.attname = 'order')]
  LOOP
    INSERT INTO rlsgen.replaced_constraints (table_name, column_name, constraint_name, definition)
    VALUES ('"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names', 'order', fk.conname, pg_catalog.pg_get_constraintdef(fk.oid))
    ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass, fk.conname);
  END LOOP;
END
$rlsgen$;
