-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.notifications"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
