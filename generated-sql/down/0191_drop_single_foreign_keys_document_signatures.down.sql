-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.document_signatures"}
-- Rollback: the single-column foreign keys of public.document_signatures back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.document_signatures ADD CONSTRAINT document_signatures_document_id_fkey
  FOREIGN KEY (document_id) REFERENCES public.documents (id) NOT VALID;
ALTER TABLE public.document_signatures VALIDATE CONSTRAINT document_signatures_document_id_fkey;
