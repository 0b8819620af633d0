-- rlsgen: {"step":"add-tenant-column","stage":"prepare","table":"public.inbox"}
-- public.inbox: add the tenant column company_id (uuid) and its foreign key to public.companies; new rows take
-- the tenant from the session variable app.company_id.
--
-- Locks: ACCESS EXCLUSIVE on public.inbox for catalog changes only, no
-- table rewrite or scan: the column is added without a default (a default
-- would be evaluated once and stamped on every existing row), the default is
-- set in a second statement and applies to new rows only, and the foreign key
-- is NOT VALID (checked for new rows now, validated later without blocking).
-- SHARE ROW EXCLUSIVE on public.companies for the foreign key.
-- Every statement runs under lock_timeout; rlsgen apply retries on timeout.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.inbox ADD COLUMN IF NOT EXISTS company_id uuid;
ALTER TABLE public.inbox ALTER COLUMN company_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
ALTER TABLE public.inbox ADD CONSTRAINT inbox_company_id_fkey
  FOREIGN KEY (company_id) REFERENCES public.companies (id) NOT VALID;

-- Rows the not-yet-updated application inserts without a tenant get it from
-- the same path as the backfill. Trigger functions run as the inserting
-- user; search_path is pinned so a user's objects cannot shadow the lookup.
CREATE OR REPLACE FUNCTION rlsgen.fill_public_inbox_company_id() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $rlsgen$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_id := (SELECT h2.company_id FROM public.user_conversations AS h1 JOIN public.users AS h2 ON h2.id = h1.user_id WHERE h1.id = NEW.conversation_id);
  END IF;
  RETURN NEW;
END
$rlsgen$;
REVOKE ALL ON FUNCTION rlsgen.fill_public_inbox_company_id() FROM PUBLIC;
CREATE TRIGGER rlsgen_fill_company_id BEFORE INSERT ON public.inbox
  FOR EACH ROW EXECUTE FUNCTION rlsgen.fill_public_inbox_company_id();
