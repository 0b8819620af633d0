-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.call_transcripts"}
-- Rollback: drop the foreign key and the NOT NULL check of public.call_transcripts.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.call_transcripts DROP CONSTRAINT IF EXISTS call_transcripts_company_id_not_null_check;
ALTER TABLE public.call_transcripts DROP CONSTRAINT IF EXISTS call_transcripts_company_id_fkey;
