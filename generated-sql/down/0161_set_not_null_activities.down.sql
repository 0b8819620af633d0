-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.activities"}
-- Rollback: company_id of public.activities nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.activities ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.activities ADD CONSTRAINT activities_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.activities VALIDATE CONSTRAINT activities_company_id_not_null;
