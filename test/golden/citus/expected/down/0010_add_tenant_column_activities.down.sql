-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.activities"}
-- Rollback: public.activities back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.activities;
DROP FUNCTION IF EXISTS rlsgen.fill_public_activities_company_id();
-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0010_add_tenant_column_activities' AND s.kind = 'default' AND s.object = 'public.activities';
  IF previous IS NULL THEN
    ALTER TABLE public.activities ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.activities'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0010_add_tenant_column_activities' AND s.kind = 'default';
END
$rlsgen$;
