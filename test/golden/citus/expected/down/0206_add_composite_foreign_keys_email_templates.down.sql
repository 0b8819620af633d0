-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.email_templates"}
-- Rollback: drop the composite foreign keys of public.email_templates.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.email_templates DROP CONSTRAINT IF EXISTS email_templates_owner_id_tenant_fkey;
