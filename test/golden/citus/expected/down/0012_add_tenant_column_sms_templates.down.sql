-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.sms_templates"}
-- Rollback: public.sms_templates back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0012_add_tenant_column_sms_templates' AND s.kind = 'default' AND s.object = 'public.sms_templates';
  IF previous IS NULL THEN
    ALTER TABLE public.sms_templates ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.sms_templates'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0012_add_tenant_column_sms_templates' AND s.kind = 'default';
END
$rlsgen$;
