-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.customers"}
-- Rollback: public.customers back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_organization_id ON public.customers;
DROP FUNCTION IF EXISTS rlsgen.fill_public_customers_organization_id();
-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0003_add_tenant_column_customers' AND s.kind = 'default' AND s.object = 'public.customers';
  IF previous IS NULL THEN
    ALTER TABLE public.customers ALTER COLUMN organization_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.customers'::regclass, 'organization_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0003_add_tenant_column_customers' AND s.kind = 'default';
END
$rlsgen$;
