-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.sessions"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
