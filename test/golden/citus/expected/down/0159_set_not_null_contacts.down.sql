-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.contacts"}
-- Rollback: company_id of public.contacts nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.contacts ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.contacts ADD CONSTRAINT contacts_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.contacts VALIDATE CONSTRAINT contacts_company_id_not_null;
