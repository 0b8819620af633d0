-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.phone_numbers"}
-- Rollback: public.phone_numbers back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.phone_numbers;
DROP FUNCTION IF EXISTS rlsgen.fill_public_phone_numbers_company_id();
-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0006_add_tenant_column_phone_numbers' AND s.kind = 'default' AND s.object = 'public.phone_numbers';
  IF previous IS NULL THEN
    ALTER TABLE public.phone_numbers ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.phone_numbers'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0006_add_tenant_column_phone_numbers' AND s.kind = 'default';
END
$rlsgen$;
