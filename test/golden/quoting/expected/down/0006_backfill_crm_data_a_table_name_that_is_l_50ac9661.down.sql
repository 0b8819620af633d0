-- rlsgen: {"step":"backfill","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback of the backfill of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: the filled values go with the
-- column (its rollback drops it); only the resume point is forgotten here.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DELETE FROM rlsgen.backfill_progress WHERE table_name = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names';
