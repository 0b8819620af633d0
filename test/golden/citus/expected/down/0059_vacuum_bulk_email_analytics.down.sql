-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.bulk_email_analytics"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
