-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.twilio_settings"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
