-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.bulk_email_analytics"}
-- Rollback: the single-column foreign keys of public.bulk_email_analytics back, validated.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

ALTER TABLE public.bulk_email_analytics ADD CONSTRAINT bulk_email_analytics_campaign_id_fkey
  FOREIGN KEY (campaign_id) REFERENCES public.bulk_email_campaigns (id) NOT VALID;
ALTER TABLE public.bulk_email_analytics VALIDATE CONSTRAINT bulk_email_analytics_campaign_id_fkey;
