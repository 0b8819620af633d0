-- rlsgen: {"step":"require-tenant","stage":"prepare","table":"public.zoho_mappings"}
-- Rollback: drop the foreign key of public.zoho_mappings.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.zoho_mappings DROP CONSTRAINT IF EXISTS zoho_mappings_organization_id_fkey;
