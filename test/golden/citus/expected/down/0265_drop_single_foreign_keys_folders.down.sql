-- rlsgen: {"step":"drop-single-foreign-keys","stage":"enforce","table":"public.folders"}
-- Rollback: the single-column foreign keys of public.folders back, with the
-- names and definitions they had.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the scan takes as long as the table is big, and the
-- SHARE UPDATE EXCLUSIVE lock it holds blocks neither reads nor writes.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  saved record;
BEGIN
  -- The table's own keys first (a partitioned table's reach its partitions again), then the partitions' own.
  FOR saved IN
    SELECT r.table_name, r.constraint_name, r.definition FROM rlsgen.replaced_constraints AS r
     WHERE r.table_name = ANY (ARRAY['public.folders']::text[]) AND r.column_name = 'owner_id' AND r.purpose = 'composite'
     ORDER BY r.table_name <> 'public.folders', r.table_name, r.constraint_name
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', saved.table_name, saved.constraint_name, saved.definition);
  END LOOP;
  DELETE FROM rlsgen.replaced_constraints
   WHERE table_name = ANY (ARRAY['public.folders']::text[]) AND column_name = 'owner_id' AND purpose = 'composite';
END
$rlsgen$;
DO $rlsgen$
DECLARE
  saved record;
BEGIN
  -- The table's own keys first (a partitioned table's reach its partitions again), then the partitions' own.
  FOR saved IN
    SELECT r.table_name, r.constraint_name, r.definition FROM rlsgen.replaced_constraints AS r
     WHERE r.table_name = ANY (ARRAY['public.folders']::text[]) AND r.column_name = 'parent_id' AND r.purpose = 'composite'
     ORDER BY r.table_name <> 'public.folders', r.table_name, r.constraint_name
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', saved.table_name, saved.constraint_name, saved.definition);
  END LOOP;
  DELETE FROM rlsgen.replaced_constraints
   WHERE table_name = ANY (ARRAY['public.folders']::text[]) AND column_name = 'parent_id' AND purpose = 'composite';
END
$rlsgen$;
