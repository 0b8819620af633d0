-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.sessions"}
-- Rollback: public.sessions back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.sessions;
DROP FUNCTION IF EXISTS rlsgen.fill_public_sessions_company_id();
ALTER TABLE public.sessions DROP CONSTRAINT IF EXISTS sessions_company_id_fkey;
ALTER TABLE public.sessions DROP COLUMN IF EXISTS company_id;
