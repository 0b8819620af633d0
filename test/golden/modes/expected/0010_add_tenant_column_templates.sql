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

ALTER TABLE public.templates ADD COLUMN IF NOT EXISTS organization_id uuid;
ALTER TABLE public.templates ALTER COLUMN organization_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
