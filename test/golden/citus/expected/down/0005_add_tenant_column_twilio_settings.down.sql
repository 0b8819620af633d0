-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.twilio_settings"}
-- Rollback: public.twilio_settings back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0005_add_tenant_column_twilio_settings' AND s.kind = 'default' AND s.object = 'public.twilio_settings';
  IF previous IS NULL THEN
    ALTER TABLE public.twilio_settings ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.twilio_settings'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0005_add_tenant_column_twilio_settings' AND s.kind = 'default';
END
$rlsgen$;
