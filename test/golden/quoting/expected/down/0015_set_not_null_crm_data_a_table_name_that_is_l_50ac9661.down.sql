-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: Org ID of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0015_set_not_null_crm_data_a_table_name_that_is_l_50ac9661' AND s.kind = 'not_null') THEN
    ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ALTER COLUMN "Org ID" DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0015_set_not_null_crm_data_a_table_name_that_is_l_50ac9661' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__23021156bf
  CHECK ("Org ID" IS NOT NULL) NOT VALID;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names VALIDATE CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__23021156bf;
