-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.zoho_mappings"}
-- Rollback: drop the composite foreign keys of public.zoho_mappings.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.zoho_mappings DROP CONSTRAINT IF EXISTS zoho_mappings_created_by_tenant_fkey;
