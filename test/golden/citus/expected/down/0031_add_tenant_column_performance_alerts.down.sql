-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.performance_alerts"}
-- Rollback: public.performance_alerts back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.performance_alerts;
DROP FUNCTION IF EXISTS rlsgen.fill_public_performance_alerts_company_id();
ALTER TABLE public.performance_alerts DROP CONSTRAINT IF EXISTS performance_alerts_company_id_fkey;
ALTER TABLE public.performance_alerts DROP COLUMN IF EXISTS company_id;
