-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.deals"}
-- squawk-ignore-file adding-not-nullable-field
-- (squawk cannot see the CHECK validated by the previous migration, which
-- makes SET NOT NULL skip its scan.)
-- public.deals: make company_id NOT NULL and drop the check that proved it.
--
-- Locks: ACCESS EXCLUSIVE on public.deals, catalog only: PostgreSQL 12+
-- skips the scan because the validated CHECK (... IS NOT NULL) already
-- proves every row. Under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

-- A column that was NOT NULL before stays so on rollback.
INSERT INTO rlsgen.saved_state (migration, kind, object, detail)
SELECT '0174_set_not_null_deals', 'not_null', 'public.deals', a.attname
  FROM pg_catalog.pg_attribute AS a
 WHERE a.attrelid = 'public.deals'::regclass AND a.attname = 'company_id' AND a.attnotnull
ON CONFLICT DO NOTHING;
ALTER TABLE public.deals ALTER COLUMN company_id SET NOT NULL;
ALTER TABLE public.deals DROP CONSTRAINT deals_company_id_not_null_check;
