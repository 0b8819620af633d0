-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.activities"}
-- Rollback: public.activities back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.activities;
DROP FUNCTION IF EXISTS rlsgen.fill_public_activities_company_id();
ALTER TABLE public.activities ALTER COLUMN company_id DROP DEFAULT;
