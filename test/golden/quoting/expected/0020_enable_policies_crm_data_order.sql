-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"\"CRM Data\".\"order\""}
-- "CRM Data"."order" (tenant table): row-level security on, enabled and FORCED
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
-- Locks: ACCESS EXCLUSIVE on "CRM Data"."order", catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The application fills the tenant itself now: the fill trigger goes.
DROP TRIGGER IF EXISTS "rlsgen_fill_Org ID" ON "CRM Data"."order";
DROP FUNCTION IF EXISTS rlsgen."fill_CRM Data_order_Org ID"();

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0020_enable_policies_crm_data_order', ARRAY['"CRM Data"."order"']::regclass[], ARRAY[]::name[], ARRAY['App "Role"', 'user']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON "CRM Data"."order" FROM "App ""Role""";
GRANT SELECT, INSERT, UPDATE, DELETE ON "CRM Data"."order" TO "App ""Role""";
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['"CRM Data"."order"']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'App "Role"');
  END LOOP;
END
$rlsgen$;
REVOKE ALL ON "CRM Data"."order" FROM "user";
GRANT SELECT, INSERT, UPDATE, DELETE ON "CRM Data"."order" TO "user";
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['"CRM Data"."order"']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'user');
  END LOOP;
END
$rlsgen$;

ALTER TABLE "CRM Data"."order" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CRM Data"."order" FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON "CRM Data"."order"
  AS PERMISSIVE FOR SELECT TO "App ""Role"""
  USING ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_insert ON "CRM Data"."order"
  AS PERMISSIVE FOR INSERT TO "App ""Role"""
  WITH CHECK ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_update ON "CRM Data"."order"
  AS PERMISSIVE FOR UPDATE TO "App ""Role"""
  USING ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint)
  WITH CHECK ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_tenant_delete ON "CRM Data"."order"
  AS PERMISSIVE FOR DELETE TO "App ""Role"""
  USING ("Org ID" = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_cross_tenant_write ON "CRM Data"."order"
  AS PERMISSIVE FOR ALL TO "user"
  USING (true)
  WITH CHECK (true);
