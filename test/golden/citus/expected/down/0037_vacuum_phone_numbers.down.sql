-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.phone_numbers"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
