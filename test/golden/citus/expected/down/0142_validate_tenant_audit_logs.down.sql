-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.audit_logs"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
