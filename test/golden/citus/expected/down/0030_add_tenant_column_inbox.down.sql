-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.inbox"}
-- Rollback: public.inbox back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.inbox;
DROP FUNCTION IF EXISTS rlsgen.fill_public_inbox_company_id();
ALTER TABLE public.inbox DROP CONSTRAINT IF EXISTS inbox_company_id_fkey;
ALTER TABLE public.inbox DROP COLUMN IF EXISTS company_id;
