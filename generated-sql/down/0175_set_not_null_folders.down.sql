-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.folders"}
-- Rollback: company_id of public.folders nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.folders ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.folders ADD CONSTRAINT folders_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.folders VALIDATE CONSTRAINT folders_company_id_not_null;
