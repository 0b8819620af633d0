-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: drop the composite foreign keys of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names DROP CONSTRAINT IF EXISTS a_table_name_that_is_long_enough_to_need_hashing_in__31f7dfb031;
