-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.files"}
-- public.files: add the tenant column company_id (uuid); new rows take
-- the tenant from the session variable app.company_id.
--
-- Locks: ACCESS EXCLUSIVE on public.files for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row) and the default
-- is set in a second statement, for new rows only. Its index and its
-- constraints (the foreign key to public.companies, NOT NULL) come after the
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
   WHERE a.attrelid = 'public.files'::regclass AND a.attname = 'company_id' AND a.attnum > 0 AND NOT a.attisdropped;
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: % has a column % (%) already, which the manifest says to add', 'public.files', 'company_id', found
      USING HINT = 'declare it in the manifest, tables.files.existing_column: its type (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew';
  END IF;
  SELECT COALESCE(array_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}') INTO actual
    FROM pg_catalog.pg_partition_tree('public.files'::regclass) AS t
    JOIN pg_catalog.pg_class AS c ON c.oid = t.relid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
   WHERE t.level > 0;
  IF (SELECT c.relkind FROM pg_catalog.pg_class AS c WHERE c.oid = 'public.files'::regclass) <> 'p' THEN
    SELECT COALESCE(array_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}') INTO actual
      FROM pg_catalog.pg_inherits AS i
      JOIN pg_catalog.pg_class AS c ON c.oid = i.inhrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
     WHERE i.inhparent = 'public.files'::regclass;
  END IF;
  IF actual IS DISTINCT FROM ARRAY(SELECT d FROM unnest(declared) AS d ORDER BY 1) THEN
    RAISE EXCEPTION 'rlsgen: the partitions or inheritance children of % are %, but the manifest lists %', 'public.files', actual, declared
      USING HINT = 'list them under tables.files.partitions in the manifest (rlsgen init does), then generate again; a migration never applied may be deleted and generated anew';
  END IF;
  FOR fk IN
    SELECT c.conrelid::regclass AS source, c.conname
      FROM pg_catalog.pg_constraint AS c
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.conrelid = ANY (ARRAY['public.files']::regclass[]) AND c.contype = 'f' AND c.conparentid = 0
       AND c.confrelid = 'public.users'::regclass AND pg_catalog.array_length(c.conkey, 1) = 1 AND a.attname = 'owner_id'
       AND (c.confdeltype <> 'a' OR c.confupdtype <> 'a' OR c.condeferrable <> false OR c.condeferred <> false)
  LOOP
    RAISE EXCEPTION 'rlsgen: foreign key % of % is %, but % says %', fk.conname, fk.source, pg_catalog.pg_get_constraintdef((SELECT c.oid FROM pg_catalog.pg_constraint AS c WHERE c.conrelid = fk.source AND c.conname = fk.conname)), 'tables.files.foreign_keys.owner_id', 'on_delete: no_action, on_update: no_action'
      USING HINT = 'write the key''s actions in the manifest (rlsgen init does), so that the composite key that replaces it behaves the same';
  END LOOP;
  FOR fk IN
    SELECT c.conrelid::regclass AS source, c.conname
      FROM pg_catalog.pg_constraint AS c
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.conrelid = ANY (ARRAY['public.files']::regclass[]) AND c.contype = 'f' AND c.conparentid = 0
       AND c.confrelid = 'public.folders'::regclass AND pg_catalog.array_length(c.conkey, 1) = 1 AND a.attname = 'folder_id'
       AND (c.confdeltype <> 'a' OR c.confupdtype <> 'a' OR c.condeferrable <> false OR c.condeferred <> false)
  LOOP
    RAISE EXCEPTION 'rlsgen: foreign key % of % is %, but % says %', fk.conname, fk.source, pg_catalog.pg_get_constraintdef((SELECT c.oid FROM pg_catalog.pg_constraint AS c WHERE c.conrelid = fk.source AND c.conname = fk.conname)), 'tables.files.foreign_keys.folder_id', 'on_delete: no_action, on_update: no_action'
      USING HINT = 'write the key''s actions in the manifest (rlsgen init does), so that the composite key that replaces it behaves the same';
  END LOOP;
END
$rlsgen$;

ALTER TABLE public.files ADD COLUMN IF NOT EXISTS company_id uuid;
ALTER TABLE public.files ALTER COLUMN company_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_files_company_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_id := COALESCE(
    (SELECT h1.company_id FROM public.folders AS h1 WHERE h1.id = NEW.folder_id),
    (SELECT h1.company_id FROM public.users AS h1 WHERE h1.id = NEW.owner_id)
  );
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_files_company_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_company_id BEFORE INSERT ON public.files
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_files_company_id();
