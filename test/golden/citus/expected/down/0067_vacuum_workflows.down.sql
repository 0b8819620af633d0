-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.workflows"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
