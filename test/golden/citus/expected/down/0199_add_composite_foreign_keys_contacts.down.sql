-- rlsgen: {"step":"add-composite-foreign-keys","stage":"enforce","table":"public.contacts"}
-- Rollback: drop the composite foreign keys of public.contacts.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE public.contacts DROP CONSTRAINT IF EXISTS contacts_owner_id_tenant_fkey;
