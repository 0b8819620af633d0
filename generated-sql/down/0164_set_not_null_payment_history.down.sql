-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.payment_history"}
-- Rollback: company_id of public.payment_history nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_history ALTER COLUMN company_id DROP NOT NULL;
ALTER TABLE public.payment_history ADD CONSTRAINT payment_history_company_id_not_null
  CHECK (company_id IS NOT NULL) NOT VALID;
ALTER TABLE public.payment_history VALIDATE CONSTRAINT payment_history_company_id_not_null;
