-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.customer"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
