-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.quotes"}
-- Rollback: the single-column foreign keys of public.quotes back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.quotes ADD CONSTRAINT quotes_deal_id_fkey
  FOREIGN KEY (deal_id) REFERENCES public.deals (id) NOT VALID;
ALTER TABLE public.quotes VALIDATE CONSTRAINT quotes_deal_id_fkey;
