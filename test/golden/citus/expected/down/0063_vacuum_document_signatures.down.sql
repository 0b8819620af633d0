-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.document_signatures"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
