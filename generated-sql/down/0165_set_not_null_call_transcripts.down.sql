-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.call_transcripts"}
-- Rollback: company_id of public.call_transcripts nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.call_transcripts ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.call_transcripts ADD CONSTRAINT call_transcripts_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.call_transcripts VALIDATE CONSTRAINT call_transcripts_company_id_not_null;
