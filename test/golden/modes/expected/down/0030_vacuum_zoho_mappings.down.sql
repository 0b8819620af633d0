-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.zoho_mappings"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
