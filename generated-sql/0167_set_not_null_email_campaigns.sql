-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.email_campaigns"}
-- squawk-ignore-file adding-not-nullable-field
-- (squawk cannot see the CHECK validated by the previous migration, which
-- makes SET NOT NULL skip its scan.)
-- public.email_campaigns: make company_id NOT NULL and drop the check that proved it.
--
-- Locks: ACCESS EXCLUSIVE on public.email_campaigns, catalog only: PostgreSQL 12+
-- skips the scan because the validated CHECK (... IS NOT NULL) already
-- proves every row. Under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.email_campaigns ALTER COLUMN company_id SET NOT NULL;
ALTER TABLE public.email_campaigns DROP CONSTRAINT email_campaigns_company_id_not_null;
