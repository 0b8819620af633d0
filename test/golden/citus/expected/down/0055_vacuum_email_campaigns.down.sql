-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.email_campaigns"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
