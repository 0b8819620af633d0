-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.performance_alerts"}
-- Rollback: drop the composite foreign keys of public.performance_alerts.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.performance_alerts DROP CONSTRAINT IF EXISTS performance_alerts_user_id_tenant_fkey;
