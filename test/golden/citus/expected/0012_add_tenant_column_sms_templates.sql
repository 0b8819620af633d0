-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.sms_templates"}
-- public.sms_templates: the tenant column company_id exists already; new rows take
-- the tenant from the session variable app.company_id.
--
-- Locks: ACCESS EXCLUSIVE on public.sms_templates for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row) and the default
-- is set in a second statement, for new rows only. The tenant index
-- and NOT NULL come after the backfill, so that filling it is a non-key update.
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
   WHERE a.attrelid = 'public.sms_templates'::regclass AND a.attname = 'company_id' AND a.attnum > 0 AND NOT a.attisdropped;
  IF found IS DISTINCT FROM 'uuid' THEN
    RAISE EXCEPTION 'rlsgen: % has %, but the manifest says it has the column % of type %', 'public.sms_templates', COALESCE('a column ' || 'company_id' || ' of type ' || found, 'no column ' || 'company_id'), 'company_id', 'uuid'
      USING HINT = 'correct tables.sms_templates.existing_column in the manifest, or remove it so that the migration adds the column, then generate again; a migration never applied may be deleted and generated anew';
  END IF;
  SELECT COALESCE(array_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}') INTO actual
    FROM pg_catalog.pg_partition_tree('public.sms_templates'::regclass) AS t
    JOIN pg_catalog.pg_class AS c ON c.oid = t.relid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
   WHERE t.level > 0;
  IF (SELECT c.relkind FROM pg_catalog.pg_class AS c WHERE c.oid = 'public.sms_templates'::regclass) <> 'p' THEN
    SELECT COALESCE(array_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}') INTO actual
      FROM pg_catalog.pg_inherits AS i
      JOIN pg_catalog.pg_class AS c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
     WHERE i.inhparent = 'public.sms_templates'::regclass;
  END IF;
  IF actual IS DISTINCT FROM ARRAY(SELECT d FROM unnest(declared) AS d ORDER BY 1) THEN
    RAISE EXCEPTION 'rlsgen: the partitions or inheritance children of % are %, but the manifest lists %', 'public.sms_templates', actual, declared
      USING HINT = 'list them under tables.sms_templates.partitions in the manifest (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew';
  END IF;
END
$rlsgen$;

-- The column's current default, if any, for the rollback.
INSERT INTO rlsgen.saved_state (migration, kind, object, detail, value)
SELECT '0012_add_tenant_column_sms_templates', 'default', 'public.sms_templates', a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
  FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attrelid = 'public.sms_templates'::regclass AND a.attname = 'company_id'
ON CONFLICT DO NOTHING;
ALTER TABLE public.sms_templates ALTER COLUMN company_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
