-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.workflows"}
-- Rollback: company_id of public.workflows nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflows ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.workflows ADD CONSTRAINT workflows_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.workflows VALIDATE CONSTRAINT workflows_company_id_not_null;
