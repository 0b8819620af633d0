-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.call_transcripts"}
-- Rollback: the single-column foreign keys of public.call_transcripts back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.call_transcripts ADD CONSTRAINT call_transcripts_call_id_fkey
  FOREIGN KEY (call_id) REFERENCES public.calls (id) NOT VALID;
ALTER TABLE public.call_transcripts VALIDATE CONSTRAINT call_transcripts_call_id_fkey;
