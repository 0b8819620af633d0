-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.call_transcripts"}
-- Rollback: drop the composite foreign keys of public.call_transcripts.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.call_transcripts DROP CONSTRAINT IF EXISTS call_transcripts_call_id_tenant_fkey;
