-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.emails"}
-- Rollback: company_id of public.emails nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.emails ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.emails ADD CONSTRAINT emails_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.emails VALIDATE CONSTRAINT emails_company_id_not_null;
