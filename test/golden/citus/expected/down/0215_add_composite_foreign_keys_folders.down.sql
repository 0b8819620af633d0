-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.folders"}
-- Rollback: drop the composite foreign keys of public.folders.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.folders DROP CONSTRAINT IF EXISTS folders_owner_id_tenant_fkey;
ALTER TABLE public.folders DROP CONSTRAINT IF EXISTS folders_parent_id_tenant_fkey;
