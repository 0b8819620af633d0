-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.performance_alerts"}
-- Rollback: company_id of public.performance_alerts nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.performance_alerts ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.performance_alerts ADD CONSTRAINT performance_alerts_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.performance_alerts VALIDATE CONSTRAINT performance_alerts_company_id_not_null;
