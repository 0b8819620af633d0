-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.audit_logs"}
-- public.audit_logs: now that the backfill has run, add the foreign key
-- of company_id to public.companies, NOT VALID: new rows are checked from now
-- on, existing rows are validated in the next migration without blocking
-- writes.
--
-- Locks: SHARE ROW EXCLUSIVE on public.audit_logs and public.companies for the catalog
-- change only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE public.audit_logs ADD CONSTRAINT audit_logs_company_id_fkey
  FOREIGN KEY (company_id) REFERENCES public.companies (id) NOT VALID;
