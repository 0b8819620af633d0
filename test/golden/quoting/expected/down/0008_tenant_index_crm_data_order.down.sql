-- rlsgen: {"step":"tenant-index","stage":"prepare","table":"\"CRM Data\".\"order\"","index":["CRM Data","order_Org ID_id_key"]}
-- postgres-migrations disable-transaction
-- Rollback: drop the tenant index of "CRM Data"."order".
DROP INDEX CONCURRENTLY IF EXISTS "CRM Data"."order_Org ID_id_key";
