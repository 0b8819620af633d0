-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"\"CRM Data\".a_table_name_that_is_long_enough_to_need_hashing_in_names"}
-- "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names (tenant table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for App "Role":
--   rows visible: its tenant's rows
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.org_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.org_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names, catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The application fills the tenant itself now: the fill trigger goes.
DROP TRIGGER IF EXISTS "rlsgen_fill_Org ID" ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names;
DROP FUNCTION IF EXISTS rlsgen."fill_CRM Data_a_table_name_that_is_long_enough_to_ne_058eca217d"();

-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names FROM "App ""Role""";
GRANT SELECT, INSERT, UPDATE, DELETE ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names TO "App ""Role""";
-- Sequences owned by the table's columns (serial, identity): inserts need USAGE.
DO $rlsgen$
DECLARE
  seq record;
BEGIN
  FOR seq IN
    SELECT d.objid::regclass AS name
      FROM pg_catalog.pg_depend AS d
      JOIN pg_catalog.pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
     WHERE d.classid = 'pg_catalog.pg_class'::regclass
       AND d.refobjid = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq.name, 'App "Role"');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names FROM "user";
GRANT SELECT, INSERT, UPDATE, DELETE ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names TO "user";
-- Sequences owned by the table's columns (serial, identity): inserts need USAGE.
DO $rlsgen$
DECLARE
  seq record;
BEGIN
  FOR seq IN
    SELECT d.objid::regclass AS name
      FROM pg_catalog.pg_depend AS d
      JOIN pg_catalog.pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'
     WHERE d.classid = 'pg_catalog.pg_class'::regclass
       AND d.refobjid = '"CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names'::regclass
       AND d.deptype IN ('a', 'i')
  LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq.name, 'user');
  END LOOP;
END
$rlsgen$;

ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names
  AS PERMISSIVE FOR SELECT TO "App ""Role"""
  USING ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_insert ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names
  AS PERMISSIVE FOR INSERT TO "App ""Role"""
  WITH CHECK ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_update ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names
  AS PERMISSIVE FOR UPDATE TO "App ""Role"""
  USING ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint)
  WITH CHECK ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_delete ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names
  AS PERMISSIVE FOR DELETE TO "App ""Role"""
  USING ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_cross_tenant_write ON "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names
  AS PERMISSIVE FOR ALL TO "user"
  USING (true)
  WITH CHECK (true);
