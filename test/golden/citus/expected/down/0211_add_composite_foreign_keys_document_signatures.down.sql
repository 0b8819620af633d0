-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.document_signatures"}
-- Rollback: drop the composite foreign keys of public.document_signatures.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.document_signatures DROP CONSTRAINT IF EXISTS document_signatures_document_id_tenant_fkey;
