-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.folders"}
-- Rollback: public.folders back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.folders;
DROP FUNCTION IF EXISTS rlsgen.fill_public_folders_company_id();
ALTER TABLE public.folders DROP CONSTRAINT IF EXISTS folders_company_id_fkey;
ALTER TABLE public.folders DROP COLUMN IF EXISTS company_id;
