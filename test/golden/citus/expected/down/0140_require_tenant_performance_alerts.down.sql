-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.performance_alerts"}
-- Rollback: drop the foreign key and the NOT NULL check of public.performance_alerts.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.performance_alerts DROP CONSTRAINT IF EXISTS performance_alerts_company_id_not_null_check;
ALTER TABLE public.performance_alerts DROP CONSTRAINT IF EXISTS performance_alerts_company_id_fkey;
