-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: Org ID of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ALTER COLUMN "Org ID" DROP NOT NULL;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__e6cbc82376
  CHECK ("Org ID" IS NOT NULL) NOT VALID;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names VALIDATE CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__e6cbc82376;
