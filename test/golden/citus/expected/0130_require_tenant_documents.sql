-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.documents"}
-- public.documents: now that the backfill has run, add the foreign key
-- of company_id to public.companies and stop here if any row is still without a tenant, then
-- add CHECK (company_id IS NOT NULL), NOT VALID: new rows are checked from now
-- on, existing rows are validated in the next migration without blocking
-- writes, and the validated check lets SET NOT NULL skip its table scan.
--
-- Locks: ACCESS SHARE while counting (reads and writes continue; the tenant
-- index answers it), then ACCESS EXCLUSIVE on public.documents and SHARE ROW
-- EXCLUSIVE on public.companies for the catalog changes only, under
-- lock_timeout.
SET LOCAL lock_timeout = '2s';
-- No statement_timeout: the count takes as long as the table is big.
SET LOCAL statement_timeout = 0;

DO $rlsgen$
DECLARE
  missing bigint;
BEGIN
  SELECT count(*) INTO missing FROM public.documents WHERE company_id IS NULL;
  IF missing > 0 THEN
    RAISE EXCEPTION 'rlsgen: % row(s) of % have no % and no backfill path resolves them', missing, 'public.documents', 'company_id'
      USING HINT = 'rlsgen audit lists them. Give them a tenant and apply again, or set "unresolved: keep" for this table in the manifest.';
  END IF;
END
$rlsgen$;
ALTER TABLE public.documents ADD CONSTRAINT documents_company_id_fkey
  FOREIGN KEY (company_id) REFERENCES public.companies (id) NOT VALID;
ALTER TABLE public.documents ADD CONSTRAINT documents_company_id_not_null_check
  CHECK (company_id IS NOT NULL) NOT VALID;
