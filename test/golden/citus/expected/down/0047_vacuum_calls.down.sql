-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.calls"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
