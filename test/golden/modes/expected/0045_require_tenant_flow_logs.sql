-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.flow_logs"}
-- public.flow_logs: now that the backfill has run, add the foreign key
-- of organization_id to public.organizations, NOT VALID: new rows are checked from now
-- on, existing rows are validated in the next migration without blocking
-- writes.
--
-- Locks: SHARE ROW EXCLUSIVE on public.flow_logs and public.organizations for the catalog
-- change only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE public.flow_logs ADD CONSTRAINT flow_logs_organization_id_fkey
  FOREIGN KEY (organization_id) REFERENCES public.organizations (id) NOT VALID;
