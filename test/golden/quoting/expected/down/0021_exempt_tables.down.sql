-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Rollback: grants on exempt tables as they were before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

REVOKE ALL ON "CRM Data"."Organisations" FROM "App ""Role""";
REVOKE ALL ON "CRM Data"."Customer's Table" FROM "App ""Role""";
