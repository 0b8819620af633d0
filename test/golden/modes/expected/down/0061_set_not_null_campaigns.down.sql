-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.campaigns"}
-- Rollback: organization_id of public.campaigns nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.campaigns ALTER COLUMN organization_id DROP NOT NULL;
ALTER TABLE public.campaigns ADD CONSTRAINT campaigns_organization_id_not_null
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.campaigns VALIDATE CONSTRAINT campaigns_organization_id_not_null;
