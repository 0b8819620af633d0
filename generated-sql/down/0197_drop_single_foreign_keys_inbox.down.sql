-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.inbox"}
-- Rollback: the single-column foreign keys of public.inbox back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.inbox ADD CONSTRAINT inbox_conversation_id_fkey
  FOREIGN KEY (conversation_id) REFERENCES public.user_conversations (id) NOT VALID;
ALTER TABLE public.inbox VALIDATE CONSTRAINT inbox_conversation_id_fkey;
