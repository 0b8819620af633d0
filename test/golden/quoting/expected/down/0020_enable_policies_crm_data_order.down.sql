-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"\"CRM Data\".\"order\""}
-- Rollback: row-level security off for "CRM Data"."order", grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON "CRM Data"."order";
DROP POLICY IF EXISTS rlsgen_tenant_insert ON "CRM Data"."order";
DROP POLICY IF EXISTS rlsgen_tenant_update ON "CRM Data"."order";
DROP POLICY IF EXISTS rlsgen_tenant_delete ON "CRM Data"."order";
DROP POLICY IF EXISTS rlsgen_cross_tenant_write ON "CRM Data"."order";
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0020_enable_policies_crm_data_order', ARRAY['App "Role"', 'user']::name[]);

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen."fill_CRM Data_order_Org ID"() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW."Org ID" IS NULL THEN
    NEW."Org ID" := (SELECT h1."Org ID" FROM "CRM Data"."Customer's Table" AS h1 WHERE h1.id = NEW."Customer Id");
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen."fill_CRM Data_order_Org ID"() FROM PUBLIC;
CREATE TRIGGER "rlsgen_fill_Org ID" BEFORE INSERT ON "CRM Data"."order"
  FOR EACH ROW EXECUTE FUNCTION rlsgen."fill_CRM Data_order_Org ID"();
