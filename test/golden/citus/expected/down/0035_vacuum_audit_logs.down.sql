-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.audit_logs"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
