-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.quotes"}
-- Rollback: company_id of public.quotes nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.quotes ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.quotes ADD CONSTRAINT quotes_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.quotes VALIDATE CONSTRAINT quotes_company_id_not_null;
