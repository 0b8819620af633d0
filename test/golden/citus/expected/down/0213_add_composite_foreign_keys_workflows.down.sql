-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.workflows"}
-- Rollback: drop the composite foreign keys of public.workflows.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.workflows DROP CONSTRAINT IF EXISTS workflows_owner_id_tenant_fkey;
