-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.bulk_email_analytics"}
-- Rollback: public.bulk_email_analytics back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.bulk_email_analytics;
DROP FUNCTION IF EXISTS rlsgen.fill_public_bulk_email_analytics_company_id();
ALTER TABLE public.bulk_email_analytics DROP CONSTRAINT IF EXISTS bulk_email_analytics_company_id_fkey;
ALTER TABLE public.bulk_email_analytics DROP COLUMN IF EXISTS company_id;
