-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- Rollback: "CRM Data"."order" back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS "rlsgen_fill_Org ID" ON "CRM Data"."order";
DROP FUNCTION IF EXISTS rlsgen."fill_CRM Data_order_Org ID"();
ALTER TABLE "CRM Data"."order" DROP CONSTRAINT IF EXISTS "order_Org ID_fkey";
ALTER TABLE "CRM Data"."order" DROP COLUMN IF EXISTS "Org ID";
