-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- Rollback: drop the foreign key and the NOT NULL check of "CRM Data"."order".
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "CRM Data"."order" DROP CONSTRAINT IF EXISTS "order_Org ID_not_null_check";
ALTER TABLE "CRM Data"."order" DROP CONSTRAINT IF EXISTS "order_Org ID_fkey";
