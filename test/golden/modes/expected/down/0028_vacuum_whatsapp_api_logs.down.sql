-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.whatsapp_api_logs"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
