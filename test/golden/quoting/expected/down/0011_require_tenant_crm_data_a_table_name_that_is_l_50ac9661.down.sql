-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: drop the foreign key and the NOT NULL check of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names DROP CONSTRAINT IF EXISTS a_table_name_that_is_long_enough_to_need_hashing_in__23021156bf;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names DROP CONSTRAINT IF EXISTS a_table_name_that_is_long_enough_to_need_hashing_in__1bba7cbb48;
