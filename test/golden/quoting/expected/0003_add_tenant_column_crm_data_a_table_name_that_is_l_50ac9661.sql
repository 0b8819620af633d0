-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names: add the tenant column Org ID (bigint) and its foreign key to "CRM Data"."Organisations"; new rows take
-- the tenant from the session variable app.org_id.
--
-- Locks: ACCESS EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row), the default is
-- set in a second statement and applies to new rows only, and the foreign key
-- is NOT VALID (checked for new rows now, validated later without blocking).
-- SHARE ROW EXCLUSIVE on "CRM Data"."Organisations" for the foreign key.
-- Every statement runs under lock_timeout; rlsgen apply retries on timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD COLUMN IF NOT EXISTS "Org ID" bigint;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ALTER COLUMN "Org ID" SET DEFAULT NULLIF(current_setting('app.org_id', true), '')::bigint;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ADD CONSTRAINT a_table_name_that_is_long_enough_to_need_hashing_in__1bba7cbb48
  FOREIGN KEY ("Org ID") REFERENCES "CRM Data"."Organisations" (id) NOT VALID;

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen."fill_CRM Data_a_table_name_that_is_long_enough_to_ne_058eca217d"() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW."Org ID" IS NULL THEN
    NEW."Org ID" := (SELECT h1."Org ID" FROM "CRM Data"."order" AS h1 WHERE h1.id = NEW."order");
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen."fill_CRM Data_a_table_name_that_is_long_enough_to_ne_058eca217d"() FROM PUBLIC;
CREATE TRIGGER "rlsgen_fill_Org ID" BEFORE INSERT ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names
  FOR EACH ROW EXECUTE FUNCTION rlsgen."fill_CRM Data_a_table_name_that_is_long_enough_to_ne_058eca217d"();
