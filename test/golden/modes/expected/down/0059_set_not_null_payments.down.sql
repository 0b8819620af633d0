-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.payments"}
-- Rollback: organization_id of public.payments nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.payments ALTER COLUMN organization_id DROP NOT NULL;
ALTER TABLE public.payments ADD CONSTRAINT payments_organization_id_not_null
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.payments VALIDATE CONSTRAINT payments_organization_id_not_null;
