-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- squawk-ignore-file adding-not-nullable-field
-- (squawk cannot see the CHECK validated by the previous migration, which
-- makes SET NOT NULL skip its scan.)
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: make Org ID NOT NULL and drop the check that proved it.
--
-- Locks: ACCESS EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names, catalog only: PostgreSQL 12+
-- skips the scan because the validated CHECK (... IS NOT NULL) already
-- proves every row. Under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- A column that was NOT NULL before stays so on rollback.
INSERT INTO rlsgen.saved_state (migration, kind, object, detail)
SELECT '0015_set_not_null_crm_data_a_table_name_that_is_l_50ac9661', 'not_null', '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names', a.attname
  FROM pg_catalog.pg_attribute AS a
 WHERE a.attrelid = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass AND a.attname = 'Org ID' AND a.attnotnull
ON CONFLICT DO NOTHING;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ALTER COLUMN "Org ID" SET NOT NULL;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names DROP CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__23021156bf;
