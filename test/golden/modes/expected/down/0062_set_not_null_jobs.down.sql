-- rlsgen: {"step":"set-not-null","stage":"prepare","table":"public.jobs"}
-- Rollback: organization_id of public.jobs nullable again, with the check back.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.jobs ALTER COLUMN organization_id DROP NOT NULL;
ALTER TABLE public.jobs ADD CONSTRAINT jobs_organization_id_not_null
  CHECK (organization_id IS NOT NULL) NOT VALID;
ALTER TABLE public.jobs VALIDATE CONSTRAINT jobs_organization_id_not_null;
