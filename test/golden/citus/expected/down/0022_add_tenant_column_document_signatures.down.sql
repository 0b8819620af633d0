-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.document_signatures"}
-- Rollback: public.document_signatures back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.document_signatures;
DROP FUNCTION IF EXISTS rlsgen.fill_public_document_signatures_company_id();
ALTER TABLE public.document_signatures DROP CONSTRAINT IF EXISTS document_signatures_company_id_fkey;
ALTER TABLE public.document_signatures DROP COLUMN IF EXISTS company_id;
