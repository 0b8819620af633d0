-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.emails"}
-- Rollback: the single-column foreign keys of public.emails back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.emails ADD CONSTRAINT emails_contact_id_fkey
  FOREIGN KEY (contact_id) REFERENCES public.contacts (id) NOT VALID;
ALTER TABLE public.emails VALIDATE CONSTRAINT emails_contact_id_fkey;
