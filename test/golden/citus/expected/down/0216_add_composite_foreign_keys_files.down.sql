-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.files"}
-- Rollback: drop the composite foreign keys of public.files.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.files DROP CONSTRAINT IF EXISTS files_owner_id_tenant_fkey;
ALTER TABLE public.files DROP CONSTRAINT IF EXISTS files_folder_id_tenant_fkey;
