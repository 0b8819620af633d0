-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.templates"}
-- public.templates: add the tenant column organization_id (uuid); new rows take
-- the tenant from the session variable app.company_id.
--
-- Locks: ACCESS EXCLUSIVE on public.templates for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row) and the default
-- is set in a second statement, for new rows only. Its index and its
-- constraints (the foreign key to public.organizations, NOT NULL) come after the
-- backfill, so that filling it is a non-key update checked set-based.
-- Every statement runs under lock_timeout; rlsgen apply retries on timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- Before anything changes: stop, naming the manifest key to fix, if the
-- database is not what the manifest describes or this server cannot keep a
-- foreign key's behaviour.
DO $rlsgen$
DECLARE
  actual text[];
  declared text[] := ARRAY[]::text[];
  missing text;
  found text;
  fk record;
BEGIN
  SELECT pg_catalog.format_type(a.atttypid, NULL) INTO found
    FROM pg_catalog.pg_attribute AS a
   WHERE a.attrelid = 'public.templates'::regclass AND a.attname = 'organization_id' AND a.attnum > 0 AND NOT a.attisdropped;
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: % has a column % (%) already, which the manifest says to add', 'public.templates', 'organization_id', found
      USING HINT = 'declare it in the manifest, tables.templates.existing_column: its type (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew';
  END IF;
  SELECT COALESCE(array_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}') INTO actual
    FROM pg_catalog.pg_partition_tree('public.templates'::regclass) AS t
    JOIN pg_catalog.pg_class AS c ON c.oid = t.relid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
   WHERE t.level > 0;
  IF (SELECT c.relkind FROM pg_catalog.pg_class AS c WHERE c.oid = 'public.templates'::regclass) <> 'p' THEN
    SELECT COALESCE(array_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}') INTO actual
      FROM pg_catalog.pg_inherits AS i
      JOIN pg_catalog.pg_class AS c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
     WHERE i.inhparent = 'public.templates'::regclass;
  END IF;
  IF actual IS DISTINCT FROM ARRAY(SELECT d FROM unnest(declared) AS d ORDER BY 1) THEN
    RAISE EXCEPTION 'rlsgen: the partitions or inheritance children of % are %, but the manifest lists %', 'public.templates', actual, declared
      USING HINT = 'list them under tables.templates.partitions in the manifest (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew';
  END IF;
END
$rlsgen$;

ALTER TABLE public.templates ADD COLUMN IF NOT EXISTS organization_id uuid;
ALTER TABLE public.templates ALTER COLUMN organization_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
