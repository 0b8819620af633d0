-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Tables deliberately NOT tenant-scoped. No row-level security: every role
-- granted access sees all their rows. Each is exempt for the reason the
-- manifest gives:
--   "CRM Data"."Customer's Table": owners, already tenant-tagged; a reason with a newline and -- dashes stays one comment line
--
-- The application role gets exactly the commands the manifest lists for them.
-- Locks: none beyond the catalog rows of the grants.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- What the roles held before, for the rollback.
CALL rlsgen.save_access('0022_exempt_tables', ARRAY['"CRM Data"."Customer''s Table"']::regclass[], ARRAY[]::name[], ARRAY['App "Role"']::name[]);
REVOKE ALL ON "CRM Data"."Customer's Table" FROM "App ""Role""";
