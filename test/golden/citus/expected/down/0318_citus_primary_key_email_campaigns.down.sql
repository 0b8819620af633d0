-- rlsgen: {"step":"citus-primary-key","stage":"distribute","table":"public.email_campaigns"}
-- Rollback: public.email_campaigns keyed by its own column again, the (tenant, key) index back.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  pk text;
BEGIN
  SELECT conname INTO pk FROM pg_catalog.pg_constraint WHERE conrelid = 'public.email_campaigns'::regclass AND contype = 'p';
  EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I PRIMARY KEY (%I)',
    'public.email_campaigns'::regclass, pk, pk, 'id');
  EXECUTE pg_catalog.format('CREATE UNIQUE INDEX %I ON %s (%I, %I)', 'email_campaigns_company_id_id_key',
    'public.email_campaigns'::regclass, 'company_id', 'id');
END
$rlsgen$;
