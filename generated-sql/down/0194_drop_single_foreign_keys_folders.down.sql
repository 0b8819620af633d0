-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.folders"}
-- Rollback: the single-column foreign keys of public.folders back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.folders ADD CONSTRAINT folders_parent_id_fkey
  FOREIGN KEY (parent_id) REFERENCES public.folders (id) NOT VALID;
ALTER TABLE public.folders VALIDATE CONSTRAINT folders_parent_id_fkey;
