-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.call_transcripts"}
-- Rollback: public.call_transcripts back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.call_transcripts;
DROP FUNCTION IF EXISTS rlsgen.fill_public_call_transcripts_company_id();
ALTER TABLE public.call_transcripts DROP CONSTRAINT IF EXISTS call_transcripts_company_id_fkey;
ALTER TABLE public.call_transcripts DROP COLUMN IF EXISTS company_id;
