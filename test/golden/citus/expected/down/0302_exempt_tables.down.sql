-- rlsgen: {"step":"exempt-tables","stage":"enforce"}
-- Rollback: grants on exempt tables exactly as they were before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

CALL rlsgen.restore_access('0302_exempt_tables', ARRAY['crm_app']::name[]);
