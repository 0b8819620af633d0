-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.documents"}
-- Rollback: drop the composite foreign keys of public.documents.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.documents DROP CONSTRAINT IF EXISTS documents_owner_id_tenant_fkey;
