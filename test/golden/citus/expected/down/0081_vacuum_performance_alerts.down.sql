-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.performance_alerts"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
