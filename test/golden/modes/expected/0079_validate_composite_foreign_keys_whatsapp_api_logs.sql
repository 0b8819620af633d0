-- rlsgen: {"step":"validate-composite-foreign-keys","stage":"enforce","table":"public.whatsapp_api_logs"}
-- public.whatsapp_api_logs: validate its composite foreign keys. A row that points at
-- another tenant's row stops the migration with a count (rlsgen audit lists
-- them) instead of PostgreSQL's first-violation message.
--
-- Locks: SHARE UPDATE EXCLUSIVE on public.whatsapp_api_logs, ROW SHARE on the referenced
-- tables: reads and writes continue during the scans.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  crossing bigint;
BEGIN
  SELECT count(*) INTO crossing
    FROM public.whatsapp_api_logs AS c
   WHERE c.organization_id IS NOT NULL AND c.campaign_id IS NOT NULL
     AND NOT EXISTS (
       SELECT FROM public.campaigns AS p
        WHERE p.organization_id = c.organization_id AND p.id = c.campaign_id);
  IF crossing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % reference a row of % that belongs to another tenant (column %)',
      crossing, 'public.whatsapp_api_logs', 'public.campaigns', 'campaign_id'
      USING HINT = 'rlsgen audit lists them; correct the references, then apply again.';
  END IF;
END
$rlsgen$;
ALTER TABLE public.whatsapp_api_logs VALIDATE CONSTRAINT whatsapp_api_logs_campaign_id_tenant_fkey;
DO $rlsgen$
DECLARE
  crossing bigint;
BEGIN
  SELECT count(*) INTO crossing
    FROM public.whatsapp_api_logs AS c
   WHERE c.organization_id IS NOT NULL AND c.job_id IS NOT NULL
     AND NOT EXISTS (
       SELECT FROM public.jobs AS p
        WHERE p.organization_id = c.organization_id AND p.id = c.job_id);
  IF crossing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % reference a row of % that belongs to another tenant (column %)',
      crossing, 'public.whatsapp_api_logs', 'public.jobs', 'job_id'
      USING HINT = 'rlsgen audit lists them; correct the references, then apply again.';
  END IF;
END
$rlsgen$;
ALTER TABLE public.whatsapp_api_logs VALIDATE CONSTRAINT whatsapp_api_logs_job_id_tenant_fkey;
