-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.documents"}
-- Rollback: public.documents back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.documents;
DROP FUNCTION IF EXISTS rlsgen.fill_public_documents_company_id();
ALTER TABLE public.documents DROP CONSTRAINT IF EXISTS documents_company_id_fkey;
ALTER TABLE public.documents DROP COLUMN IF EXISTS company_id;
