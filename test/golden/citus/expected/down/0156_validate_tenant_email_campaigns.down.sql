-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.email_campaigns"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
