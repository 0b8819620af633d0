-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.deals"}
-- public.deals: drop the single-column foreign keys the composite keys
-- replace. Kept side by side, the old key would still answer "does this id
-- exist?" for other tenants' rows (its error differs from the composite one).
-- They are found by column and referenced table, whatever their names, and
-- their definitions are kept in rlsgen.replaced_constraints for the rollback.
--
-- Locks: ACCESS EXCLUSIVE on public.deals and the referenced tables, catalog only.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  fk record;
BEGIN
  -- On the table and each of its partitions or children: a key declared on
  -- a partition only is a key all the same (a partitioned table's own key
  -- reaches its partitions as inherited copies, which go with it).
  FOR fk IN
    SELECT c.oid, c.conname, pg_catalog.format('%I.%I', n.nspname, r.relname) AS source
      FROM pg_catalog.pg_constraint AS c
      JOIN pg_catalog.pg_class AS r ON r.oid = c.conrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = r.relnamespace
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.conrelid = ANY (ARRAY['public.deals']::regclass[])
       AND c.contype = 'f' AND c.conparentid = 0
       AND c.confrelid = 'public.users'::regclass
       AND pg_catalog.array_length(c.conkey, 1) = 1 AND a.attname = 'owner_id'
     ORDER BY r.relkind DESC, 3, 2
  LOOP
    INSERT INTO rlsgen.replaced_constraints (table_name, column_name, constraint_name, definition)
    VALUES (fk.source, 'owner_id', fk.conname, pg_catalog.pg_get_constraintdef(fk.oid))
    ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.source, fk.conname);
  END LOOP;
END
$rlsgen$;
DO $rlsgen$
DECLARE
  fk record;
BEGIN
  -- On the table and each of its partitions or children: a key declared on
  -- a partition only is a key all the same (a partitioned table's own key
  -- reaches its partitions as inherited copies, which go with it).
  FOR fk IN
    SELECT c.oid, c.conname, pg_catalog.format('%I.%I', n.nspname, r.relname) AS source
      FROM pg_catalog.pg_constraint AS c
      JOIN pg_catalog.pg_class AS r ON r.oid = c.conrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = r.relnamespace
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.conrelid = ANY (ARRAY['public.deals']::regclass[])
       AND c.contype = 'f' AND c.conparentid = 0
       AND c.confrelid = 'public.pipelines'::regclass
       AND pg_catalog.array_length(c.conkey, 1) = 1 AND a.attname = 'pipeline_id'
     ORDER BY r.relkind DESC, 3, 2
  LOOP
    INSERT INTO rlsgen.replaced_constraints (table_name, column_name, constraint_name, definition)
    VALUES (fk.source, 'pipeline_id', fk.conname, pg_catalog.pg_get_constraintdef(fk.oid))
    ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.source, fk.conname);
  END LOOP;
END
$rlsgen$;
DO $rlsgen$
DECLARE
  fk record;
BEGIN
  -- On the table and each of its partitions or children: a key declared on
  -- a partition only is a key all the same (a partitioned table's own key
  -- reaches its partitions as inherited copies, which go with it).
  FOR fk IN
    SELECT c.oid, c.conname, pg_catalog.format('%I.%I', n.nspname, r.relname) AS source
      FROM pg_catalog.pg_constraint AS c
      JOIN pg_catalog.pg_class AS r ON r.oid = c.conrelid JOIN pg_catalog.pg_namespace AS n ON n.oid = r.relnamespace
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.conrelid = ANY (ARRAY['public.deals']::regclass[])
       AND c.contype = 'f' AND c.conparentid = 0
       AND c.confrelid = 'public.contacts'::regclass
       AND pg_catalog.array_length(c.conkey, 1) = 1 AND a.attname = 'contact_id'
     ORDER BY r.relkind DESC, 3, 2
  LOOP
    INSERT INTO rlsgen.replaced_constraints (table_name, column_name, constraint_name, definition)
    VALUES (fk.source, 'contact_id', fk.conname, pg_catalog.pg_get_constraintdef(fk.oid))
    ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.source, fk.conname);
  END LOOP;
END
$rlsgen$;
