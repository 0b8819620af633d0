-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.emails"}
-- Rollback: public.emails back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.emails;
DROP FUNCTION IF EXISTS rlsgen.fill_public_emails_company_id();
ALTER TABLE public.emails DROP CONSTRAINT IF EXISTS emails_company_id_fkey;
ALTER TABLE public.emails DROP COLUMN IF EXISTS company_id;
