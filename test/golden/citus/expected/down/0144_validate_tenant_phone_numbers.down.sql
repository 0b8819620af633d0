-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.phone_numbers"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
