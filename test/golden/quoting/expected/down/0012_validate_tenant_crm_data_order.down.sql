-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
