-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.activities"}
-- Rollback: the single-column foreign keys of public.activities back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.activities ADD CONSTRAINT activities_deal_id_fkey
  FOREIGN KEY (deal_id) REFERENCES public.deals (id) NOT VALID;
ALTER TABLE public.activities VALIDATE CONSTRAINT activities_deal_id_fkey;
