-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.sms_messages"}
-- Rollback: the single-column foreign keys of public.sms_messages back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.sms_messages ADD CONSTRAINT sms_messages_contact_id_fkey
  FOREIGN KEY (contact_id) REFERENCES public.contacts (id) NOT VALID;
ALTER TABLE public.sms_messages VALIDATE CONSTRAINT sms_messages_contact_id_fkey;
