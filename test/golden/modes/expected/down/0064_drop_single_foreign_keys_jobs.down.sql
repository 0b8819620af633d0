-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.jobs"}
-- Rollback: the single-column foreign keys of public.jobs back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.jobs ADD CONSTRAINT jobs_campaign_id_fkey
  FOREIGN KEY (campaign_id) REFERENCES public.campaigns (id) NOT VALID;
ALTER TABLE public.jobs VALIDATE CONSTRAINT jobs_campaign_id_fkey;
