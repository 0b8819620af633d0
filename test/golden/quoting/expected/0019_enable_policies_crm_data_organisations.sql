-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"\"CRM Data\".\"Organisations\""}
-- "CRM Data"."Organisations" (tenant table table): row-level security on, enabled and FORCED
-- (without FORCE the table's owner skips every policy), with one permissive
-- policy per command for App "Role":
--   rows visible: its own row only (the tenant table: id = the current tenant)
--   rows written: only with its own tenant, checked on INSERT and on the new
--   row of UPDATE (WITH CHECK), so no row moves to another tenant.
-- With app.org_id unset or empty nothing is visible and nothing can be
-- written; a malformed value is an error.
--
-- Needs the application that sets app.org_id in every transaction:
-- deploy it before applying this stage.
-- Locks: ACCESS EXCLUSIVE on "CRM Data"."Organisations", catalog only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, and the row-level security flags, for the rollback.
CALL rlsgen.save_access('0019_enable_policies_crm_data_organisations', ARRAY['"CRM Data"."Organisations"']::regclass[], ARRAY[]::name[], ARRAY['App "Role"', 'user']::name[]);
-- Grants are exactly what the manifest allows: whatever the application role
-- held before (TRUNCATE, REFERENCES, TRIGGER bypass or sidestep row security)
-- is revoked first.
REVOKE ALL ON "CRM Data"."Organisations" FROM "App ""Role""";
GRANT SELECT ON "CRM Data"."Organisations" TO "App ""Role""";
REVOKE ALL ON "CRM Data"."Organisations" FROM "user";
GRANT SELECT, INSERT, UPDATE, DELETE ON "CRM Data"."Organisations" TO "user";
-- Sequences the inserts use (owned by a column, or called by a column default
-- without being owned by it): inserts need USAGE on them.
DO $rlsgen$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN SELECT s FROM rlsgen.default_sequences(ARRAY['"CRM Data"."Organisations"']::regclass[]) AS s ORDER BY s::text LOOP
    EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO %I', seq, 'user');
  END LOOP;
END
$rlsgen$;

ALTER TABLE "CRM Data"."Organisations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CRM Data"."Organisations" FORCE ROW LEVEL SECURITY;

CREATE POLICY rlsgen_tenant_select ON "CRM Data"."Organisations"
  AS PERMISSIVE FOR SELECT TO "App ""Role"""
  USING (id = NULLIF(current_setting('app.org_id', true), '')::bigint);
CREATE POLICY rlsgen_cross_tenant_write ON "CRM Data"."Organisations"
  AS PERMISSIVE FOR ALL TO "user"
  USING (true)
  WITH CHECK (true);
