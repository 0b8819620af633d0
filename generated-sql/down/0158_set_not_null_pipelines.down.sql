-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.pipelines"}
-- Rollback: company_id of public.pipelines nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.pipelines ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.pipelines ADD CONSTRAINT pipelines_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.pipelines VALIDATE CONSTRAINT pipelines_company_id_not_null;
