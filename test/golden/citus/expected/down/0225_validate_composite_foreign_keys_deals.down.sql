-- rlsgen: {"step":"validate-composite-foreign-keys","stage":"enforce","table":"public.deals"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
