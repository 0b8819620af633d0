-- rlsgen: {"step":"validate-reference-guards","stage":"enforce","table":"public.campaigns"}
-- Rollback: nothing to undo (the migration only checked rows).
SELECT 1;
