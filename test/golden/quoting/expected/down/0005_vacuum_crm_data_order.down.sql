-- rlsgen: {"step":"vacuum","stage":"prepare","table":"\"CRM Data\".\"order\""}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
