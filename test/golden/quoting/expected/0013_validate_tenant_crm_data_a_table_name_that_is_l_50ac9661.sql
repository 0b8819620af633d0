-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: validate the constraints added NOT VALID earlier
-- (the foreign key to "CRM Data"."Organisations" and the NOT NULL check).
--
-- Locks: SHARE UPDATE EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names (and ROW SHARE on the
-- referenced table) for the scan: reads and writes continue.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names VALIDATE CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__1bba7cbb48;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names VALIDATE CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__23021156bf;
