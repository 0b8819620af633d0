-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- Rollback: Org ID of "CRM Data"."order" nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0014_set_not_null_crm_data_order' AND s.kind = 'not_null') THEN
    ALTER TABLE "CRM Data"."order" ALTER COLUMN "Org ID" DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0014_set_not_null_crm_data_order' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE "CRM Data"."order" ADD CONSTRAINT "order_Org ID_not_null_check"
  CHECK ("Org ID" IS NOT NULL) NOT VALID;
ALTER TABLE "CRM Data"."order" VALIDATE CONSTRAINT "order_Org ID_not_null_check";
