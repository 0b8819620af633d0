-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- "CRM Data"."order": validate the constraints added NOT VALID earlier
-- (the foreign key to "CRM Data"."Organisations" and the NOT NULL check).
--
-- Locks: SHARE UPDATE EXCLUSIVE on "CRM Data"."order" (and ROW SHARE on the
-- referenced table) for the scan: reads and writes continue.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE "CRM Data"."order" VALIDATE CONSTRAINT "order_Org ID_fkey";
ALTER TABLE "CRM Data"."order" VALIDATE CONSTRAINT "order_Org ID_not_null_check";
