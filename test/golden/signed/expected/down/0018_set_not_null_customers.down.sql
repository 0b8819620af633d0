-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.customers"}
-- Rollback: organization_id of public.customers nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.customers ALTER COLUMN organization_id DROP NOT NULL;
ALTER TABLE public.customers ADD CONSTRAINT customers_organization_id_not_null
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.customers VALIDATE CONSTRAINT customers_organization_id_not_null;
