-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.deals"}
-- Rollback: public.deals back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_fill_company_id ON public.deals;
DROP FUNCTION IF EXISTS rlsgen.fill_public_deals_company_id();
-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0009_add_tenant_column_deals' AND s.kind = 'default' AND s.object = 'public.deals';
  IF previous IS NULL THEN
    ALTER TABLE public.deals ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.deals'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0009_add_tenant_column_deals' AND s.kind = 'default';
END
$rlsgen$;
