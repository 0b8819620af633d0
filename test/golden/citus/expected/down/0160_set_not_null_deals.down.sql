-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.deals"}
-- Rollback: company_id of public.deals nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.deals ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.deals ADD CONSTRAINT deals_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.deals VALIDATE CONSTRAINT deals_company_id_not_null;
