-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.phone_numbers"}
-- Rollback: company_id of public.phone_numbers nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.phone_numbers ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.phone_numbers ADD CONSTRAINT phone_numbers_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.phone_numbers VALIDATE CONSTRAINT phone_numbers_company_id_not_null;
