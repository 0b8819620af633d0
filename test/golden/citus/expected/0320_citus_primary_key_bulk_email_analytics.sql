-- rlsgen: {"step":"citus-primary-key","stage":"distribute","table":"public.bulk_email_analytics"}
-- public.bulk_email_analytics: primary key (company_id, primary key), as Citus requires of a
-- distributed table. The unique index public.bulk_email_analytics_company_id_id_key, built concurrently in the
-- prepare stage, becomes the primary key: no index build and no scan here.
-- Foreign keys that referenced the old key are set aside (definitions kept in
-- rlsgen.replaced_constraints) and restored after distribution where Citus
-- supports them.
--
-- Locks: ACCESS EXCLUSIVE on public.bulk_email_analytics (and the referencing tables), catalog only.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  pk text;
  fk record;
BEGIN
  FOR fk IN
    SELECT c.oid, c.conname, c.conrelid::regclass AS source
      FROM pg_catalog.pg_constraint AS c
      JOIN pg_catalog.pg_constraint AS k ON k.conrelid = c.confrelid AND k.contype = 'p' AND k.conindid = c.conindid
     WHERE c.contype = 'f' AND c.confrelid = 'public.bulk_email_analytics'::regclass
  LOOP
    INSERT INTO rlsgen.replaced_constraints (table_name, column_name, constraint_name, definition, purpose)
    VALUES (fk.source::text, '', fk.conname, pg_catalog.pg_get_constraintdef(fk.oid), 'citus')
    ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.source, fk.conname);
  END LOOP;
  SELECT conname INTO pk FROM pg_catalog.pg_constraint WHERE conrelid = 'public.bulk_email_analytics'::regclass AND contype = 'p';
  EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I PRIMARY KEY USING INDEX %I',
    'public.bulk_email_analytics'::regclass, pk, COALESCE(pk, 'bulk_email_analytics_pkey'), 'bulk_email_analytics_company_id_id_key');
END
$rlsgen$;
