-- rlsgen: {"step":"validate-composite-foreign-keys","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: validate its composite foreign keys. A row that points at
-- another tenant's row stops the migration with a count (rlsgen audit lists
-- them) instead of PostgreSQL's first-violation message.
--
-- Locks: SHARE UPDATE EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names, ROW SHARE on the referenced
-- tables: reads and writes continue during the scans.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  crossing bigint;
BEGIN
  SELECT count(*) INTO crossing
    FROM "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names AS c
   WHERE c."Org ID" IS NOT NULL AND c."order" IS NOT NULL
     AND NOT EXISTS (
       SELECT FROM "CRM Data"."order" AS p
        WHERE p."Org ID" = c."Org ID" AND p.id = c."order");
  IF crossing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % reference a row of % that belongs to another tenant (column %)',
      crossing, '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names', '"CRM Data"."order"', 'order'
      USING HINT = 'rlsgen audit lists them; correct the references, then apply again.';
  END IF;
END
$rlsgen$;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names VALIDATE CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__31f7dfb031;
