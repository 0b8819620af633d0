-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.pipelines"}
-- Rollback: public.pipelines back to its state before the tenant column.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- The default the column had before, or none.
DO $rlsgen$
DECLARE
  previous text;
BEGIN
  SELECT s.value INTO previous FROM rlsgen.saved_state AS s
   WHERE s.migration = '0007_add_tenant_column_pipelines' AND s.kind = 'default' AND s.object = 'public.pipelines';
  IF previous IS NULL THEN
    ALTER TABLE public.pipelines ALTER COLUMN company_id DROP DEFAULT;
  ELSE
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', 'public.pipelines'::regclass, 'company_id', previous);
  END IF;
  DELETE FROM rlsgen.saved_state AS s WHERE s.migration = '0007_add_tenant_column_pipelines' AND s.kind = 'default';
END
$rlsgen$;
