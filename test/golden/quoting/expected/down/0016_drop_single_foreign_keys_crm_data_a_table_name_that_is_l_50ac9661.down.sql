-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: the single-column foreign keys of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__d549c41e69
  FOREIGN KEY ("order") REFERENCES "CRM Data"."order" (id) NOT VALID;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names VALIDATE CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__d549c41e69;
