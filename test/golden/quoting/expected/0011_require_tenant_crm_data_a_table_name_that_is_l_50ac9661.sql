-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: now that the backfill has run, add the foreign key
-- of Org ID to "CRM Data"."Organisations" and stop here if any row is still without a tenant, then
-- add CHECK (Org ID IS NOT NULL), NOT VALID: new rows are checked from now
-- on, existing rows are validated in the next migration without blocking
-- writes, and the validated check lets SET NOT NULL skip its table scan.
--
-- Locks: ACCESS SHARE while counting (reads and writes continue; the tenant
-- index answers it), then ACCESS EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names and SHARE ROW
-- EXCLUSIVE on "CRM Data"."Organisations" for the catalog changes only, under
-- lock_timeout.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the count takes as long as the table is big.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  missing bigint;
BEGIN
  SELECT count(*) INTO missing FROM "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names WHERE "Org ID" IS NULL;
  IF missing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % have no % and no backfill path resolves them', missing, '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names', 'Org ID'
      USING HINT = 'rlsgen audit lists them. Give them a tenant and apply again, or set "unresolved: keep" for this table in the manifest.';
  END IF;
END
$rlsgen$;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__1bba7cbb48
  FOREIGN KEY ("Org ID") REFERENCES "CRM Data"."Organisations" (id) NOT VALID;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__23021156bf
  CHECK ("Org ID" IS NOT NULL) NOT VALID;
