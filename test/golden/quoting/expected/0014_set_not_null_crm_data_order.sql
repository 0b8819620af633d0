-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- squawk-ignore-file adding-not-nullable-field
-- (squawk cannot see the CHECK validated by the previous migration, which
-- makes SET NOT NULL skip its scan.)
-- "CRM Data"."order": make Org ID NOT NULL and drop the check that proved it.
--
-- Locks: ACCESS EXCLUSIVE on "CRM Data"."order", catalog only: PostgreSQL 12+
-- skips the scan because the validated CHECK (... IS NOT NULL) already
-- proves every row. Under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- A column that was NOT NULL before stays so on rollback.
INSERT INTO rlsgen.saved_state (migration, kind, object, detail)
SELECT '0014_set_not_null_crm_data_order', 'not_null', '"CRM Data"."order"', a.attname
  FROM pg_catalog.pg_attribute AS a
 WHERE a.attrelid = '"CRM Data"."order"'::regclass AND a.attname = 'Org ID' AND a.attnotnull
ON CONFLICT DO NOTHING;
ALTER TABLE "CRM Data"."order" ALTER COLUMN "Org ID" SET NOT NULL;
ALTER TABLE "CRM Data"."order" DROP CONSTRAINT "order_Org ID_not_null_check";
