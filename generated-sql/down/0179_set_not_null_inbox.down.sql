-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.inbox"}
-- Rollback: company_id of public.inbox nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.inbox ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.inbox ADD CONSTRAINT inbox_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.inbox VALIDATE CONSTRAINT inbox_company_id_not_null;
