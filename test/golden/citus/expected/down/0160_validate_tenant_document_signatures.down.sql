-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.document_signatures"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
