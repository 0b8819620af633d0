-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- Rollback: Org ID of "CRM Data"."order" nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data"."order" ALTER COLUMN "Org ID" DROP NOT NULL;
ALTER TABLE "CRM Data"."order" ADD CONSTRAINT "order_Org ID_not_null"
  CHECK ("Org ID" IS NOT NULL) NOT VALID;
ALTER TABLE "CRM Data"."order" VALIDATE CONSTRAINT "order_Org ID_not_null";
