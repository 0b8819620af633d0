-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.files"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
