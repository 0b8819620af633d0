-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.templates"}
-- public.templates: add the tenant column organization_id (uuid) and its foreign key to public.organizations; new rows take
-- the tenant from the session variable app.company_id.
--
-- Locks: ACCESS EXCLUSIVE on public.templates for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row), the default is
-- set in a second statement and applies to new rows only, and the foreign key
-- is NOT VALID (checked for new rows now, validated later without blocking).
-- SHARE ROW EXCLUSIVE on public.organizations for the foreign key.
-- Every statement runs under lock_timeout; rlsgen apply retries on timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.templates ADD COLUMN IF NOT EXISTS organization_id uuid;
ALTER TABLE public.templates ALTER COLUMN organization_id SET DEFAULT rlsgen.verified_tenant_uuid();
ALTER TABLE public.templates ADD CONSTRAINT templates_organization_id_fkey
  FOREIGN KEY (organization_id) REFERENCES public.organizations (id) NOT VALID;
