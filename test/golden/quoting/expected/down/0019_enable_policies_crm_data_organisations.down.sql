-- rlsgen: {"step":"enable-policies","stage":"enforce","table":"\"CRM Data\".\"Organisations\""}
-- Rollback: row-level security off for "CRM Data"."Organisations", grants and fill trigger as before.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP POLICY IF EXISTS rlsgen_tenant_select ON "CRM Data"."Organisations";
DROP POLICY IF EXISTS rlsgen_cross_tenant_write ON "CRM Data"."Organisations";
-- Grants (tables, columns, sequences) and row-level security exactly as they were.
CALL rlsgen.restore_access('0019_enable_policies_crm_data_organisations', ARRAY['App "Role"', 'user']::name[]);
