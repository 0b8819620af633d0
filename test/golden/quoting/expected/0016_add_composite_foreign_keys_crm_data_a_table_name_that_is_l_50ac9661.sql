-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: composite foreign keys (Org ID, column) so a row can only
-- reference rows of its own tenant. Foreign-key checks ignore row security:
-- with a plain key, a tenant could point at another tenant's row, and tell
-- from the error whether an id exists elsewhere.
--   order -> "CRM Data"."order"
--
-- Locks: SHARE ROW EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names and each referenced table, for
-- the catalog change only (NOT VALID: validated in the next migration).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__31f7dfb031
  FOREIGN KEY ("Org ID", "order") REFERENCES "CRM Data"."order" ("Org ID", id) NOT VALID;
