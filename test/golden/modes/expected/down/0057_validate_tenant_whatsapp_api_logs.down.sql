-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.whatsapp_api_logs"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
