-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.jobs"}
-- Rollback: organization_id of public.jobs nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0064_set_not_null_jobs' AND s.kind = 'not_null') THEN
    ALTER TABLE public.jobs ALTER COLUMN organization_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0064_set_not_null_jobs' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.jobs ADD CONSTRAINT jobs_organization_id_not_null_check
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.jobs VALIDATE CONSTRAINT jobs_organization_id_not_null_check;
