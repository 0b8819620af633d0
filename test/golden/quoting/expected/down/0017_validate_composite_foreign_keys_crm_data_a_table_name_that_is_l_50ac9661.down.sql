-- rlsgen: {"step":"validate-composite-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
