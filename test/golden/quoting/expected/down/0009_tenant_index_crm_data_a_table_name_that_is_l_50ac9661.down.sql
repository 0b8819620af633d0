-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names","index":["CRM Data","a_table_name_that_is_long_enough_to_need_hashing_in__275ea2044c"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names.
DROP INDEX CONCURRENTLY IF EXISTS "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in__275ea2044c;
