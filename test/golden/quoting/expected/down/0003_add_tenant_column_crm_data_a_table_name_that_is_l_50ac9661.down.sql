-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS "rlsgen_fill_Org ID" ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names;
DROP FUNCTION IF EXISTS rlsgen."fill_CRM Data_a_table_name_that_is_long_enough_to_ne_058eca217d"();
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names DROP CONSTRAINT IF EXISTS a_table_name_that_is_long_enough_to_need_hashing_in__1bba7cbb48;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names DROP COLUMN IF EXISTS "Org ID";
