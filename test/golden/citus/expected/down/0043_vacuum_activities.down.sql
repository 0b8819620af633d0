-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.activities"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
