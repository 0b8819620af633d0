-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.orders"}
-- Rollback: organization_id of public.orders nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.orders ALTER COLUMN organization_id DROP NOT NULL;
ALTER TABLE public.orders ADD CONSTRAINT orders_organization_id_not_null
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_organization_id_not_null;
