-- rlsgen: {"step":"vacuum","stage":"prepare","table":"public.payment_transactions"}
-- Rollback: nothing to undo (VACUUM changes no data and no definition).
SELECT 1;
