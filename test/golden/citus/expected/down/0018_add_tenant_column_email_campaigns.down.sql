-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.email_campaigns"}
-- Rollback: public.email_campaigns back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.email_campaigns;
DROP FUNCTION IF EXISTS rlsgen.fill_public_email_campaigns_company_id();
ALTER TABLE public.email_campaigns DROP CONSTRAINT IF EXISTS email_campaigns_company_id_fkey;
ALTER TABLE public.email_campaigns DROP COLUMN IF EXISTS company_id;
