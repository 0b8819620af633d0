-- rlsgen: {"step":"validate-tenant","stage":"prepare","table":"public.payment_transactions"}
-- Rollback: nothing to undo (validation changes no data and no definition).
SELECT 1;
