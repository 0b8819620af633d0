-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.files"}
-- Rollback: public.files back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.files;
DROP FUNCTION IF EXISTS rlsgen.fill_public_files_company_id();
ALTER TABLE public.files DROP CONSTRAINT IF EXISTS files_company_id_fkey;
ALTER TABLE public.files DROP COLUMN IF EXISTS company_id;
