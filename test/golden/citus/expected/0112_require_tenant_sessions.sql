-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.sessions"}
-- public.sessions: now that the backfill has run, add the foreign key
-- of company_id to public.companies, NOT VALID: new rows are checked from now
-- on, existing rows are validated in the next migration without blocking
-- writes.
--
-- Locks: SHARE ROW EXCLUSIVE on public.sessions and public.companies for the catalog
-- change only, under lock_timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';
ALTER TABLE public.sessions ADD CONSTRAINT sessions_company_id_fkey
  FOREIGN KEY (company_id) REFERENCES public.companies (id) NOT VALID;
