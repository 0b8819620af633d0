-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.calls"}
-- Rollback: company_id of public.calls nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.calls ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.calls ADD CONSTRAINT calls_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.calls VALIDATE CONSTRAINT calls_company_id_not_null;
