-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.campaigns"}
-- Rollback: organization_id of public.campaigns nullable again (unless it was NOT NULL
-- before the migration), with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
BEGIN
  IF NOT EXISTS (SELECT FROM rlsgen.saved_state AS s WHERE s.migration = '0063_set_not_null_campaigns' AND s.kind = 'not_null') THEN
    ALTER TABLE public.campaigns ALTER COLUMN organization_id DROP NOT NULL;
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0063_set_not_null_campaigns' AND s.kind = 'not_null';
END
$rlsgen$;
ALTER TABLE public.campaigns ADD CONSTRAINT campaigns_organization_id_not_null_check
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.campaigns VALIDATE CONSTRAINT campaigns_organization_id_not_null_check;
