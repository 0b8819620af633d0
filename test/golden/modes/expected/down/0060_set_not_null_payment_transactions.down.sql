-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.payment_transactions"}
-- Rollback: organization_id of public.payment_transactions nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payment_transactions ALTER COLUMN organization_id DROP NOT NULL;
ALTER TABLE public.payment_transactions ADD CONSTRAINT payment_transactions_organization_id_not_null
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.payment_transactions VALIDATE CONSTRAINT payment_transactions_organization_id_not_null;
