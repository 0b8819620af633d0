-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.files"}
-- Rollback: the single-column foreign keys of public.files back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.files ADD CONSTRAINT files_folder_id_fkey
  FOREIGN KEY (folder_id) REFERENCES public.folders (id) NOT VALID;
ALTER TABLE public.files VALIDATE CONSTRAINT files_folder_id_fkey;
